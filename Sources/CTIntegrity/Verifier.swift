import CTCore
import CTRules

/// What `verify` learned from one file of the copy (on a worker thread): its place, the SHA-256 of its uncompressed
/// bytes and, for a digest, its reading.
package struct ExaminedFile: Sendable {
    /// Absolute path.
    package var path: String
    package var displayName: String
    package var place: TrailPath?
    /// Hex SHA-256 of the uncompressed bytes; nil when the file could not be read (its finding is the reader's).
    package var sha256: String?
    /// A digest's uncompressed bytes (findings are located in them) and its fields.
    package var digestBytes: [UInt8] = []
    package var digest: DigestFile?
    /// The hex signature of a `<digest>.sig` file beside it.
    package var sidecarSignature: String?

    package init(path: String, displayName: String, place: TrailPath?, sha256: String?) {
        self.path = path
        self.displayName = displayName
        self.place = place
        self.sha256 = sha256
    }
}

/// One key of `aws cloudtrail list-public-keys`.
package struct PublicKeyEntry: Sendable {
    package var fingerprint: String
    package var key: RSAPublicKey
    /// Validity, as `YYYYMMDDTHHMMSSZ` (nil: open).
    package var validFrom: String?
    package var validUntil: String?

    package init(fingerprint: String, key: RSAPublicKey, validFrom: String?, validUntil: String?) {
        self.fingerprint = fingerprint.lowercased()
        self.key = key
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// `--start-time`, `--end-time` (as `YYYYMMDDTHHMMSSZ`), `--account`, `--region`, `--trail`.
package struct VerifyFilter: Sendable {
    package var start: String?
    package var end: String?
    package var accounts: Set<String> = []
    package var regions: Set<String> = []
    package var trails: Set<String> = []

    package init() {}

    func admits(account: String, region: String) -> Bool {
        (accounts.isEmpty || accounts.contains(account)) && (regions.isEmpty || regions.contains(region))
    }
}

/// What one chain (a trail's digests in one region of one account, at one bucket root) comes to.
package struct ChainSummary: Sendable {
    package var name: String
    package var digests = 0
    package var logs = 0
    /// "authenticated by the signature of …", "hash-consistent, not authenticated (…)" or "broken (…)".
    package var verdict = ""
}

/// The findings of a `verify` run, per file (absolute path), with what is needed to report them.
package struct Verification: Sendable {
    package var findings: [String: [Diagnostic]] = [:]
    package var displayNames: [String: String] = [:]
    /// The uncompressed bytes of the digests with findings (their positions are in them).
    package var sources: [String: [UInt8]] = [:]
    package var chains: [ChainSummary] = []
    /// Each listed log's path, and the display name of a digest that lists it.
    package var listedBy: [String: String] = [:]
    package var digestsChecked = 0, digestsValid = 0, logsChecked = 0, logsValid = 0
    package var missing = 0, unlisted = 0, modified = 0

    /// The summary in the style of `aws cloudtrail validate-logs`.
    package var summaryLine: String {
        "\(digestsValid)/\(digestsChecked) digest files valid, \(logsValid)/\(logsChecked) log files valid; "
            + "\(missing) missing, \(unlisted) unlisted, \(modified) modified"
    }

    mutating func add(_ path: String, _ display: String, _ d: Diagnostic) {
        findings[path, default: []].append(d)
        if displayNames[path] == nil { displayNames[path] = display }
    }
}

/// Judges a copy of a bucket: the logs against the digests that list them, the digest chains, the signatures.
package struct Verifier: Sendable {
    package var keys: [PublicKeyEntry]?
    /// Digest key → hex signature (`--signatures`).
    package var signatures: [String: String] = [:]
    package var filter = VerifyFilter()
    /// A display name for a path no input has (a missing file).
    package var displayName: @Sendable (String) -> String = { $0 }

    package init() {}

    private struct Digest {
        var file: ExaminedFile
        var fields: DigestFile
        var place: TrailPath
        /// The bucket root in the copy: the path less its own `digestS3Object`.
        var root: String
        var end: String
        var start: String?
    }

    package func verify(_ files: [ExaminedFile]) -> Verification {
        var out = Verification()
        var digests: [Digest] = []
        var byPath: [String: ExaminedFile] = [:]
        var logs: [ExaminedFile] = []
        var checked: [String] = []
        var moved: [Digest] = []
        for f in files {
            byPath[f.path] = f
            guard let place = f.place else { continue }
            switch place.kind {
            case .log:
                if filter.admits(account: place.account, region: place.region) { logs.append(f) }
            case .digest:
                guard filter.admits(account: place.account, region: place.region),
                      filter.trails.isEmpty || filter.trails.contains(place.trail) else { continue }
                guard f.sha256 != nil, let fields = f.digest else { continue }
                guard let endText = fields.endTime?.value, let end = TrailPath.normalisedTime(iso: endText) else {
                    out.digestsChecked += 1
                    out.add(f.path, f.displayName, Self.finding(.digestInvalid, "`digestEndTime` is absent or not a UTC time",
                                                             fields.endTime?.range ?? TextRange(empty: 0)))
                    out.sources[f.path] = f.digestBytes
                    continue
                }
                if let s = filter.start, end < s { continue }
                if let e = filter.end, end > e { continue }
                out.digestsChecked += 1
                checked.append(f.path)
                func report(_ rule: RuleID, _ message: String, _ range: TextRange?, severity: Severity? = nil) {
                    var d = Self.finding(rule, message, range ?? TextRange(empty: 0))
                    if let severity { d.severity = severity }
                    out.add(f.path, f.displayName, d)
                    out.sources[f.path] = f.digestBytes
                }
                for p in fields.problems { report(.digestInvalid, p.message, p.range) }
                if let account = fields.accountID, account.value != place.account {
                    report(.digestInvalid, "`awsAccountId` is \(account.value), but the file name's account is \(place.account)", account.range)
                }
                if end != place.time {
                    report(.digestInvalid, "`digestEndTime` is \(endText), but the file name's time is \(place.time)", fields.endTime?.range)
                }
                // The bucket root: where the file's own path ends in its `digestS3Object`.
                var root: String?
                if let key = fields.key?.value {
                    if f.path.hasSuffix("/" + key) { root = String(f.path.dropLast(key.count + 1)) } else {
                        report(.digestMoved, "this digest was delivered as `\(key)`, not where it is now: it was moved", fields.key?.range)
                    }
                }
                let start = fields.startTime.flatMap { TrailPath.normalisedTime(iso: $0.value) }
                if let root {
                    digests.append(Digest(file: f, fields: fields, place: place, root: root, end: end, start: start))
                } else {
                    // A moved digest is out of its chain, but still says which logs were delivered: its root is
                    // taken from the digests in place (below).
                    moved.append(Digest(file: f, fields: fields, place: place, root: "", end: end, start: start))
                }
                if let keys { checkSignature(f, fields, keys: keys, report: { report($0, $1, $2, severity: $3) }) }
            }
        }
        // Logs against the digests that list them.
        var listed: Set<String> = []
        var logBad: Set<String> = []
        var digestByPath: [String: Digest] = [:]
        for d in digests { digestByPath[d.file.path] = d }
        let roots = Set(digests.map(\.root))
        let listing = digests + moved.compactMap { d -> Digest? in
            guard let root = roots.filter({ d.file.path.hasPrefix($0 + "/") }).max(by: { $0.count < $1.count }) else { return nil }
            var d = d
            d.root = root
            return d
        }
        for d in listing {
            for entry in d.fields.logs {
                guard let key = entry.key?.value, let recorded = entry.hashValue?.value else { continue }
                let path = d.root + "/" + key
                listed.insert(path)
                out.listedBy[path] = d.file.displayName
                out.logsChecked += 1
                guard let log = byPath[path] else {
                    out.missing += 1
                    logBad.insert(path)
                    out.add(path, displayName(path), Self.finding(.logMissing,
                        "log file listed by digest \(d.file.displayName) is absent from the copy", TextRange(empty: 0)))
                    continue
                }
                guard let actual = log.sha256 else { logBad.insert(path); continue }
                if actual != recorded.lowercased() {
                    out.modified += 1
                    logBad.insert(path)
                    out.add(path, log.displayName, Self.finding(.logModified,
                        "SHA-256 of the uncompressed log is \(actual), but digest \(d.file.displayName) records \(recorded)",
                        TextRange(empty: 0)))
                }
            }
        }
        out.logsValid = out.logsChecked - logBad.count
        // The chains: per root, account, region, trail and home region, hourly digests in order of end time.
        var chains: [String: [Digest]] = [:]
        var gaps: [String: [(after: String, until: String, missing: String)]] = [:]
        for d in digests where !d.place.isBackfill {
            chains[[d.root, d.place.account, d.place.region, d.place.trail, d.place.homeRegion].joined(separator: "\u{1}"), default: []].append(d)
        }
        for name in chains.keys.sorted() {
            let chain = chains[name]!.sorted { $0.end < $1.end }
            var summary = ChainSummary(name: "\(chain[0].place.account) \(chain[0].place.region) \(chain[0].place.trail)")
            summary.digests = chain.count
            summary.logs = chain.reduce(0) { $0 + $1.fields.logs.count }
            var broken: [String] = []
            for (i, d) in chain.enumerated() {
                if d.fields.isStart {
                    if i > 0 {
                        out.add(d.file.path, d.file.displayName, Self.finding(.chainRestart,
                            "the chain starts again here (every `previous*` field null): log file validation or logging was turned off and on",
                            d.fields.previousSignature?.range ?? TextRange(empty: 0)))
                        out.sources[d.file.path] = d.file.digestBytes
                        broken.append("restarted at \(d.end)")
                    }
                    continue
                }
                guard let previousKey = d.fields.previousKey else { continue }
                let previousPath = d.root + "/" + previousKey.value
                if let previous = digestByPath[previousPath] {
                    if let recorded = d.fields.previousHash?.value, previous.file.sha256 != recorded.lowercased() {
                        out.add(previous.file.path, previous.file.displayName, Self.finding(.digestModified,
                            "SHA-256 of this digest is \(previous.file.sha256 ?? "?"), but the next digest \(d.file.displayName) records \(recorded)",
                            TextRange(empty: 0)))
                        broken.append("modified digest \(previous.end)")
                    }
                    if let start = d.start, start != previous.end {
                        out.add(d.file.path, d.file.displayName, Self.finding(.digestGap,
                            "this digest starts at \(d.fields.startTime?.value ?? ""), but the one before it ends at \(previous.fields.endTime?.value ?? "")",
                            d.fields.startTime?.range ?? TextRange(empty: 0)))
                        out.sources[d.file.path] = d.file.digestBytes
                        broken.append("gap before \(d.end)")
                    }
                } else if byPath[previousPath] == nil || byPath[previousPath]?.sha256 != nil {
                    // (An unreadable previous digest has its own finding.) One before `--start-time` is not missing.
                    if let s = filter.start, let previousTime = TrailPath(previousPath)?.time, previousTime < s { continue }
                    out.add(d.file.path, d.file.displayName, Self.finding(.digestMissing,
                        "the previous digest `\(previousKey.value)` is absent from the copy", previousKey.range))
                    // The logs it listed are not listed by any digest present: said so at each of them.
                    gaps[d.place.account + " " + d.place.region, default: []].append(
                        (after: i > 0 ? chain[i - 1].end : "", until: d.start ?? d.end, missing: previousKey.value))
                    out.sources[d.file.path] = d.file.digestBytes
                    broken.append("missing digest before \(d.end)")
                }
            }
            let newest = chain[chain.count - 1]
            if !broken.isEmpty {
                summary.verdict = "broken (" + broken.joined(separator: ", ") + ")"
            } else if keys == nil {
                summary.verdict = "hash-consistent, not authenticated (no --public-keys)"
            } else if (out.findings[newest.file.path] ?? []).contains(where: { [.digestSignatureInvalid, .publicKeyNotFound, .signatureMissing].contains($0.rule) }) {
                summary.verdict = "hash-consistent, not authenticated (the newest digest's signature is not valid or not given)"
            } else {
                summary.verdict = "authenticated by the signature of \(newest.file.displayName)"
            }
            out.chains.append(summary)
        }
        // Logs in the covered range that no digest lists.
        var ranges: [String: (start: String, end: String, roots: Set<String>)] = [:]
        for d in digests where !d.place.isBackfill {
            let k = d.place.account + " " + d.place.region
            let start = d.start ?? d.end
            if var r = ranges[k] {
                r.start = min(r.start, start); r.end = max(r.end, d.end); r.roots.insert(d.root)
                ranges[k] = r
            } else {
                ranges[k] = (start, d.end, [d.root])
            }
        }
        for log in logs where !listed.contains(log.path) {
            guard let place = log.place, let r = ranges[place.account + " " + place.region],
                  r.roots.contains(where: { log.path.hasPrefix($0 + "/") }), place.time >= r.start else { continue }
            if let s = filter.start, place.time < s { continue }
            if let e = filter.end, place.time > e { continue }
            out.unlisted += 1
            if let window = gaps[place.account + " " + place.region]?.first(where: { $0.after < place.time && place.time <= $0.until }) {
                out.add(log.path, log.displayName, Self.finding(.logUnlisted,
                    "no digest in the copy lists this log file: the digest of its hour, `\(window.missing)`, is missing",
                    TextRange(empty: 0)))
            } else if place.time > r.end {
                out.add(log.path, log.displayName, Self.finding(.logUnlisted,
                    "no digest lists this log file; it is newer than the newest digest (\(r.end)), so it may not be digested yet",
                    TextRange(empty: 0), severity: .info))
            } else {
                out.add(log.path, log.displayName, Self.finding(.logUnlisted,
                    "no digest lists this log file, delivered inside the time the digests cover (\(r.start) to \(r.end)): it was added or renamed",
                    TextRange(empty: 0)))
            }
        }
        for (path, list) in out.findings { out.findings[path] = list.sorted() }
        out.digestsValid = checked.filter { !(out.findings[$0] ?? []).contains { $0.severity == .error } }.count
        return out
    }

    /// RSA PKCS#1 v1.5 with SHA-256 over `digestEndTime \n bucket/key \n sha256 \n previousDigestSignature`.
    private func checkSignature(_ f: ExaminedFile, _ fields: DigestFile, keys: [PublicKeyEntry],
                                report: (RuleID, String, TextRange?, Severity?) -> Void) {
        guard let end = fields.endTime?.value, let bucket = fields.bucket?.value, let key = fields.key?.value,
              let hash = f.sha256 else { return }
        guard let hex = signatures[key] ?? f.sidecarSignature else {
            report(.signatureMissing, "no signature for this digest (in --signatures or a .sig file beside it): not authenticated", nil, nil)
            return
        }
        let time = TrailPath.normalisedTime(iso: end) ?? ""
        let fingerprint = fields.fingerprint?.value.lowercased() ?? ""
        guard let entry = keys.first(where: { $0.fingerprint == fingerprint && ($0.validFrom ?? "") <= time
                                             && time <= ($0.validUntil ?? "99999999T999999Z") }) else {
            report(.publicKeyNotFound, "no public key with fingerprint \(fingerprint) is valid at \(end)", fields.fingerprint?.range, nil)
            return
        }
        let message = end + "\n" + bucket + "/" + key + "\n" + hash + "\n" + (fields.previousSignature?.value ?? "null")
        guard let signature = Hex.decode(hex.trimmingSpaces), entry.key.verifies(signature, of: Array(message.utf8)) else {
            report(.digestSignatureInvalid, "the signature does not verify with the public key \(fingerprint)", nil, nil)
            return
        }
    }

    /// A finding at the rule's catalogued severity (or `severity`).
    static func finding(_ rule: RuleID, _ message: String, _ range: TextRange, severity: Severity? = nil) -> Diagnostic {
        Diagnostic(rule: rule, severity: severity ?? RuleRegistry.metadata(for: rule)?.defaultSeverity ?? .error,
                   message: message, range: range)
    }
}

extension String {
    var trimmingSpaces: String {
        String(unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }
}
