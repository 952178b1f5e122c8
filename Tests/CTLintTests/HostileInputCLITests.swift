import CTCore
import CTInput
import CTLint
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One regression test per numbered defect of the hostile-input issue (those of the JSON layer are in
/// `CTJSONTests/HostileInputTests`, the walks in `CTInputTests/InputCollectorTests`).
@Suite struct HostileInputCLITests {
    func file(_ bytes: [UInt8], _ name: String = "a.json", in dir: URL) -> String {
        let path = dir.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }
    func contents(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    /// 1. `fix --unsafe-fixes` on `['\` trapped in `TextEdit.apply`; now the file is reported, and left alone.
    @Test(arguments: ["['\\", "{\"a\":'\\", "['a\\"])
    func fixOfACutEscapeDoesNotCrash(_ text: String) {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(Array(text.utf8), in: dir)
        let (status, console) = TestConsole.run(["fix", "--unsafe-fixes", "--diff", path])
        #expect(status == 1)
        #expect(contents(path) == Array(text.utf8))
        let (stdinStatus, _) = TestConsole.run(["fix", "--unsafe-fixes", "-"], stdin: Array(text.utf8))
        #expect(stdinStatus == 1, "\(console.stderr)")
    }

    /// Found by the fuzzer: a backslash before a raw control character. Escaping the character alone turned
    /// `"\<TAB>"` into `"\\t"` (a backslash and a `t`); the backslash is escaped too, so the value survives.
    @Test(arguments: [0x00, 0x09, 0x0A, 0x02] as [UInt8])
    func backslashBeforeAControlCharacter(_ control: UInt8) throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(Array(#"[""#.utf8) + [0x5C, control] + Array(#"x", 1]"#.utf8), in: dir)
        let (status, console) = TestConsole.run(["fix", "--unsafe-fixes", path])
        #expect(status == 0, "\(console.stderr)")
        let value = try JSONSerialization.jsonObject(with: Data(contents(path))) as? [Any]
        #expect(value?.first as? String == "\\" + String(UnicodeScalar(control)) + "x")
    }

    /// 2. A failed write to standard output (a full disk) is exit 2, and nothing is counted as fixed.
    @Test func failedOutputIsExitTwo() {
        let (fixStatus, fix) = TestConsole.run(["fix", "-"], stdin: Array(#"{"a":1,}"#.utf8), failingOutput: "No space left on device")
        #expect(fixStatus == 2)
        #expect(fix.stderr.contains("No space left on device"))
        #expect(fix.stderr.contains("0 files fixed"))
        let (checkStatus, check) = TestConsole.run(["check", "--format", "json", "-"], stdin: Array("[1,]".utf8),
                                                   failingOutput: "No space left on device")
        #expect(checkStatus == 2)
        #expect(check.stderr.contains("cannot write to standard output"))
    }

    /// 3. UTF-16 and UTF-32 documents are reported once (`text-encoding`) and transcoded by an unsafe fix that keeps
    /// every value; without `--unsafe-fixes` they are left alone.
    @Test(arguments: [
        ([0xFF, 0xFE] as [UInt8], String.Encoding.utf16LittleEndian), ([0xFE, 0xFF], .utf16BigEndian), ([], .utf16LittleEndian),
        ([], .utf16BigEndian), ([0xFF, 0xFE, 0, 0], .utf32LittleEndian), ([], .utf32BigEndian),
    ])
    func wideDocumentsAreTranscoded(_ mark: [UInt8], _ encoding: String.Encoding) {
        let text = #"{"note": "naïve 日本 🙂", "list": [1, 2,]}"#
        let wide = mark + Array(text.data(using: encoding)!)
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(wide, in: dir)
        let (checkStatus, check) = TestConsole.run(["check", "--format", "json", path])
        #expect(checkStatus == 1)
        #expect(check.stdout.components(separatedBy: "\"rule\":").count == 2 && check.stdout.contains("\"text-encoding\""))
        #expect(TestConsole.run(["fix", path]).0 == 1)
        #expect(contents(path) == wide)
        #expect(TestConsole.run(["fix", "--unsafe-fixes", path]).0 == 0)
        let fixed = contents(path)
        let value = try? JSONSerialization.jsonObject(with: Data(fixed)) as? [String: Any]
        #expect(value?["note"] as? String == "naïve 日本 🙂")
        #expect((value?["list"] as? [Int]) == [1, 2])
    }

    /// 3. A wide document that would not parse once transcoded (a byte-order mark alone is an empty document) is
    /// left as it is, with the reason (the fuzzer found it).
    @Test(arguments: [[0xFE, 0xFF], [0xFF, 0xFE], [0xFF, 0xFE, 0, 0]] as [[UInt8]])
    func wideDocumentsThatWouldNotParseAreNotTranscoded(_ bytes: [UInt8]) {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(bytes, in: dir)
        let (status, console) = TestConsole.run(["fix", "--unsafe-fixes", path])
        #expect(status == 1)
        #expect(console.stderr.contains("would remain in UTF-8") && console.stderr.contains("[unrepairable]"), "\(console.stderr)")
        #expect(contents(path) == bytes)
    }

    /// 3. A repair that would make two keys equal (`"\xff"` and `"\xfe"` both becoming `"\ufffd"`) is refused.
    @Test func repairsNeverMergeKeys() {
        let bytes: [UInt8] = Array(#"{""#.utf8) + [0xFF] + Array(#"":1,""#.utf8) + [0xFE] + Array(#"":2,}"#.utf8)
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(bytes, in: dir)
        let (status, console) = TestConsole.run(["fix", "--unsafe-fixes", path])
        #expect(status == 1)
        #expect(console.stderr.contains("two keys of one object equal"))
        #expect(contents(path) == bytes)
    }

    /// 4. A file that changed after it was read is not replaced.
    @Test func aConcurrentEditIsNeverLost() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(Array("[1,]".utf8), in: dir)
        let stamp = try #require(FileStamp.of(path: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(" appended".utf8))
        try handle.close()
        #expect(throws: AtomicWriter.WriteError.self) { try AtomicWriter.write(Array("[1]".utf8), to: path, expecting: stamp) }
        #expect(String(decoding: contents(path), as: UTF8.self) == "[1,] appended")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.json"])
    }

    /// 5. `fix` writes through a symbolic link, refuses hard links and read-only files, and drops setuid.
    @Test func fixKeepsLinksAndPermissions() throws {
        // Small JSON that is no CloudTrail document, checked all the same (`non-cloudtrail` would skip it).
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let target = file(Array("[1,]".utf8), "target.json", in: dir)
        let link = dir.appendingPathComponent("link.json").path
        #expect(symlink("target.json", link) == 0)
        #expect(TestConsole.run(["fix", "--non-cloudtrail", "check", link]).0 == 0)
        #expect(contents(target) == Array("[1]".utf8))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "target.json")

        let hard = file(Array("[2,]".utf8), "hard.json", in: dir)
        #expect(Glibc.link(hard, dir.appendingPathComponent("hard2.json").path) == 0)
        let (hardStatus, hardConsole) = TestConsole.run(["fix", "--non-cloudtrail", "check", hard])
        #expect(hardStatus == 2 && hardConsole.stderr.contains("hard links"))
        #expect(contents(hard) == Array("[2,]".utf8))

        let readOnly = file(Array("[3,]".utf8), "ro.json", in: dir)
        #expect(chmod(readOnly, 0o444) == 0)
        let (roStatus, roConsole) = TestConsole.run(["fix", "--non-cloudtrail", "check", readOnly])
        #expect(roStatus == 2 && roConsole.stderr.contains("read-only"))
        #expect(roConsole.stderr.contains("0 files fixed"))
        #expect(contents(readOnly) == Array("[3,]".utf8))

        let setuid = file(Array("[4,]".utf8), "suid.json", in: dir)
        // Another owner (possible when the tests run as root, as in CI): kept. (chown clears setuid: set it after.)
        let otherOwner = geteuid() == 0 && chown(setuid, 4321, 4321) == 0
        #expect(chmod(setuid, 0o4755) == 0)
        #expect(TestConsole.run(["fix", "--non-cloudtrail", "check", setuid]).0 == 0)
        var st = stat()
        #expect(stat(setuid, &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o755)
        if otherOwner { #expect(st.st_uid == 4321 && st.st_gid == 4321) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.hasPrefix(".") })
    }

    /// 6 and 7. Control and bidi characters from values and file names never reach the output raw, in any format.
    @Test(arguments: ["text", "concise", "github", "gitlab", "junit", "json", "sarif"])
    func controlCharactersAreEscaped(_ format: String) {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let value = "x\\r\\n::warning file=README.md,line=1::INJECTED\\u001b]0;title\\u0007\\u202e\\u0085"
        let path = file(Array(#"{"eventVersion":"1.08","awsRegion":"\#(value)"}"#.utf8), "a\u{1B}[31m\n.json", in: dir)
        let (_, console) = TestConsole.run(["check", "--format", format, "--show-source", "--select", "region", path])
        for scalar in (console.stdout + console.stderr).unicodeScalars where scalar != "\n" {
            #expect(!VisibleText.needsEscape(scalar), "raw U+\(String(scalar.value, radix: 16)) in \(format) output")
        }
        let lines = console.stdout.split(separator: "\n")
        if format == "github" { #expect(lines.count == 1 && lines[0].hasPrefix("::error ")) }
        if format == "text" { #expect(console.stdout.contains("\\u000d\\u000a::warning")) }
    }

    /// 10. `--diff` of 20,000 changed lines stays small and is a correct diff.
    @Test func diffOfManyChangesIsBounded() throws {
        let old = "[\n" + Array(repeating: "[1,]", count: 20_000).joined(separator: ",\n") + "\n]\n"
        let new = "[\n" + Array(repeating: "[1]", count: 20_000).joined(separator: ",\n") + "\n]\n"
        let diff = UnifiedDiff.render(old: Array(old.utf8), new: Array(new.utf8), oldName: "a", newName: "b")
        #expect(diff.split(separator: "\n").filter { $0.hasPrefix("-[1,]") }.count == 20_000)
        #expect(diff.split(separator: "\n").filter { $0.hasPrefix("+[1]") }.count == 20_000)
        // A diff that anchors on unique lines: one changed record among many keeps its hunk small.
        let records = (0..<5_000).map { "{\"id\": \($0)}" }
        var changed = records
        changed[2_500] = "{\"id\": 2500, \"x\": 1}"
        let small = UnifiedDiff.render(old: Array(records.joined(separator: "\n").utf8), new: Array(changed.joined(separator: "\n").utf8),
                                       oldName: "a", newName: "b")
        #expect(small.split(separator: "\n").count == 11)
    }

    /// 11. 100,000 missing commas are all fixed in one pass (choosing non-overlapping fixes asked every fix
    /// about every earlier one: 96 s for 500,000).
    @Test func manyFixesInOneFile() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(Array(("[" + Array(repeating: "1", count: 100_000).joined(separator: " ") + "]").utf8), in: dir)
        let (status, console) = TestConsole.run(["fix", path])
        #expect(status == 0 && console.stderr.contains("missing-comma ×99999"))
        let value = try? JSONSerialization.jsonObject(with: Data(contents(path))) as? [Int]
        #expect(value?.count == 100_000)
    }

    /// 14. Past `--max-findings-per-file`, findings are counted, not kept, and every format says how many.
    @Test func findingsPastTheLimitAreCounted() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let lines = (0..<300).map { "{\"a\":\($0),}" }.joined(separator: "\n")
        let path = file(Array(lines.utf8), "a.jsonl", in: dir)
        let (status, text) = TestConsole.run(["check", "--syntax-only", "--max-findings-per-file", "100", path])
        #expect(status == 1)
        #expect(text.stdout.split(separator: "\n").count == 100)
        #expect(text.stderr.contains("200 more findings not shown"))
        #expect(text.stderr.contains("300 errors"))
        let (_, json) = TestConsole.run(["check", "--syntax-only", "--format", "json", "--max-findings-per-file", "100", path])
        #expect(json.stdout.contains(#""omitted":200"#))
        let (_, all) = TestConsole.run(["check", "--syntax-only", "--max-findings-per-file", "0", path])
        #expect(all.stdout.split(separator: "\n").count == 300)
    }

    /// 12. A pretty layout past the depth limit is refused with a finding; `--compact` still formats.
    @Test func formatRefusesDeepPrettyOutput() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let path = file(Array(deep.utf8), in: dir)
        let (status, console) = TestConsole.run(["format", path])
        #expect(status == 1 && console.stderr.contains("levels deep"))
        #expect(contents(path) == Array(deep.utf8))
        #expect(TestConsole.run(["format", "--compact", "--check", path]).0 == 1)
    }

    /// 13 and 14. `fix` and `format` honour `--max-decompressed-size`, for files and standard input.
    @Test func fixAndFormatHonourTheSizeLimit() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = file(Array(("[" + String(repeating: "1,", count: 5_000) + "]").utf8), in: dir)
        for command in ["fix", "format"] {
            let (status, console) = TestConsole.run([command, "--max-decompressed-size", "1K", path])
            #expect(status == 2 && console.stderr.contains("larger than 1 KiB"), "\(command)")
        }
        let (status, console) = TestConsole.run(["check", "--max-decompressed-size", "1K", "-"], stdin: [UInt8](repeating: 0x20, count: 5_000))
        #expect(status == 2 && console.stdout.contains("read-error"))
    }

    /// 15. A file whose name is not UTF-8 is read, reported (its raw byte shown as `\xff`) and fixed.
    @Test func namesThatAreNotUTF8() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let name = dir.path + "/a" + String(PathBytes.scalar(for: 0xFF)) + ".json"
        let fd = PathBytes.withCString(name) { open($0, O_CREAT | O_WRONLY, 0o644) }
        #expect(fd >= 0)
        #expect(write(fd, "[1,]", 4) == 4)
        close(fd)
        let (status, console) = TestConsole.run(["check", "--non-cloudtrail", "check", "--format", "json", dir.path])
        #expect(status == 1)
        #expect(console.stdout.contains(#"a\\xff.json""#) && console.stdout.contains("trailing-comma"))
        #expect(TestConsole.run(["fix", "--non-cloudtrail", "check", dir.path]).0 == 0)
        let fixed = PathBytes.withCString(name) { open($0, O_RDONLY) }
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(read(fixed, &buffer, 16) == 3)
        close(fixed)
        #expect(Array(buffer.prefix(3)) == Array("[1]".utf8))
    }

    /// 15. Closed standard input, an empty path and extra `schema` operands are usage or input errors (exit 2);
    /// `fix` names a read failure `read-error` as `check` does.
    @Test func smallerOnes() {
        #expect(TestConsole.run(["check", "-"], stdin: nil).0 == 2)
        #expect(TestConsole.run(["fix", "-"], stdin: nil).0 == 2)
        #expect(TestConsole.run(["check", ""]).0 == 2)
        #expect(TestConsole.run(["schema", "1.08", "1.09"]).0 == 2)
        #expect(TestConsole.run(["explain", "trailing-comma", "comment"]).0 == 2)
        #expect(TestConsole.run(["rules", "extra"]).0 == 2)
        let (status, console) = TestConsole.run(["fix", "/nonexistent/a.json"])
        #expect(status == 2 && console.stderr.contains("[read-error]"))
    }
}
