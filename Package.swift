// swift-tools-version:6.0
import PackageDescription

// Release builds optimise across the package's modules: the rules call the tree's accessors in CTJSON on
// every record (-1.7% instructions on a 9.5 MB log, callgrind). A root-package flag; the tool has no dependents.
let swift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "CloudTrailLint",
    products: [
        .executable(name: "cloudtrail-lint", targets: ["cloudtrail-lint"]),
    ],
    dependencies: [],
    targets: [
        // Text ranges, line index, diagnostics, fixes. No dependencies.
        .target(name: "CTCore", swiftSettings: swift6),
        // Lossless, error-recovering JSON lexer/parser. Knows nothing of CloudTrail.
        .target(name: "CTJSON", dependencies: ["CTCore"], swiftSettings: swift6),
        // System zlib, for .json.gz input (not a package dependency).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // System libdeflate, for gzip held whole (small delivered files): several times zlib's speed there.
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate", providers: [.apt(["libdeflate-dev"])]),
        // System libcrypto (OpenSSL 3), for SHA-256 and RSA signatures of digest files (`verify`).
        // (No pkgConfig: its `-L/usr/lib/…` would come before the release's folder of static archives, and every C library
        // would then be linked dynamically.)
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", providers: [.apt(["libssl-dev"])]),
        // Reading inputs: files, directories, stdin, gzip.
        .target(name: "CTInput", dependencies: ["CTCore", "CZlib", "CDeflate"], swiftSettings: swift6),
        // Fenced JSON blocks inside Markdown pages.
        .target(name: "CTMarkdown", dependencies: ["CTCore"], swiftSettings: swift6),
        // JSON Schema (2020-12 subset) engine and the embedded CloudTrail schemas.
        .target(name: "CTSchema", dependencies: ["CTCore", "CTJSON"], swiftSettings: swift6),
        // CloudTrail semantic rules and the rule catalog.
        .target(name: "CTRules", dependencies: ["CTCore", "CTJSON", "CTInput"], swiftSettings: swift6),
        // Integrity of exported logs against digest files: hashing, signatures, the digest chain (`verify`).
        .target(name: "CTIntegrity", dependencies: ["CTCore", "CTJSON", "CTInput", "CTRules", "CCrypto"], swiftSettings: swift6),
        // The engine: linting, fixing, formatting, reporting.
        .target(name: "CTLint", dependencies: ["CTCore", "CTJSON", "CTSchema", "CTRules", "CTInput", "CTMarkdown", "CTIntegrity"], swiftSettings: swift6),
        .executableTarget(name: "cloudtrail-lint", dependencies: ["CTLint"], swiftSettings: swift6,
                          plugins: ["BuildInfoPlugin"]),
        // Writes the commit built into the executable (`--version`); falls back to none without git.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool(), path: "Sources/BuildInfoPlugin"),
        .executableTarget(name: "cloudtrail-lint-bench", dependencies: ["CTLint"], swiftSettings: swift6),
        .executableTarget(name: "cloudtrail-lint-fuzz", dependencies: ["CTLint"], swiftSettings: swift6),
        // The libFuzzer target (built by scripts/fuzz); a plain build checks the files it is given.
        .executableTarget(name: "cloudtrail-lint-libfuzz", dependencies: ["CTLint"], swiftSettings: swift6),

        // Locating ../shared for the corpus tests.
        .target(name: "CTTestSupport", path: "Tests/CTTestSupport", swiftSettings: swift6),
        .testTarget(name: "CTJSONTests", dependencies: ["CTJSON", "CTTestSupport"], swiftSettings: swift6),
        .testTarget(name: "CTSchemaTests", dependencies: ["CTSchema", "CTTestSupport"], swiftSettings: swift6),
        .testTarget(name: "CTRulesTests", dependencies: ["CTRules", "CTLint", "CTTestSupport"], swiftSettings: swift6),
        .testTarget(name: "CTInputTests", dependencies: ["CTInput"], swiftSettings: swift6),
        .testTarget(name: "CTMarkdownTests", dependencies: ["CTMarkdown", "CTTestSupport"], swiftSettings: swift6),
        .testTarget(name: "CTLintTests", dependencies: ["CTLint", "CTInput", "CTRules", "CTTestSupport"], swiftSettings: swift6),
        .testTarget(name: "CTIntegrityTests", dependencies: ["CTIntegrity", "CTLint", "CTTestSupport"], swiftSettings: swift6),
    ]
)
