import CTCore
import CTJSON

/// Semantic rule `event-time`: `eventTime` is a real UTC time written `YYYY-MM-DDTHH:MM:SSZ`, and a session's
/// `creationDate` is a real time in ISO 8601 extended or basic form.
package struct EventTimeRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .eventTime,
        category: .semantic,
        summary: "An eventTime or session creationDate that is not a real UTC time in CloudTrail's form",
        rationale: """
            CloudTrail writes `eventTime` as `YYYY-MM-DDTHH:MM:SSZ`: second precision, a literal `T` and `Z`, always UTC. \
            AWS's own processing library parses it with exactly that pattern and rejects anything else, so a space \
            separator, a missing `Z`, fractional seconds or an offset break consumers, and an impossible date \
            (February 29 outside a leap year, April 31, hour 24) means the record was edited by hand. \
            `userIdentity.sessionContext.attributes.creationDate` appears in both ISO 8601 forms, extended \
            (`2024-01-02T03:04:05Z`) and basic (`20240102T030405Z`); both are accepted, other shapes are reported. \
            Lake integration events (`eventCategory` `ActivityAuditLog`) may omit the `Z`.
            """,
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: """
            Unsafe: offered when the text is a recognisable date and time in another notation. A time without a zone \
            is taken as UTC, an offset is converted to UTC and fractional seconds are dropped. CloudTrail never \
            writes any of these, so the intent is clear, but the value changes. Impossible dates get no fix.
            """,
        valid: [
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2024-02-29T23:59:59Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2000-02-29T00:00:00Z", "userIdentity": {"sessionContext": {"attributes": {"creationDate": "20000229T120000Z"}}}}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2024-06-30T12:00:00Z", "userIdentity": {"sessionContext": {"attributes": {"creationDate": "2024-06-30T11:58:12Z"}}}}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventCategory": "ActivityAuditLog", "eventTime": "2024-06-30T12:00:00"}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"2023-02-29T10:00:00Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"1900-02-29T10:00:00Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"2024-04-31T10:00:00Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"2024-01-02T24:00:00Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"2024-01-02 03:04:05"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"yesterday at noon"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05Z", "userIdentity": {"sessionContext": {"attributes": {"creationDate": ↓"2024-13-01T00:00:00Z"}}}}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": ↓"2024-01-02T03:04:05.250Z", "userIdentity": {"sessionContext": {"attributes": {"creationDate": ↓"Tue Jan 2 03:04:05 UTC 2024"}}}}"#),
        ],
        fixes: [
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2024-01-02 03:04:05"}"#, fixed: #"{"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05.000Z"}"#, fixed: #"{"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventTime": "2024-01-01T01:30:00+02:00"}"#, fixed: #"{"eventVersion": "1.08", "eventTime": "2023-12-31T23:30:00Z"}"#),
            RuleExample(#"{"eventVersion": "1.08", "userIdentity": {"sessionContext": {"attributes": {"creationDate": "20240102T030405.000Z"}}}}"#,
                        fixed: #"{"eventVersion": "1.08", "userIdentity": {"sessionContext": {"attributes": {"creationDate": "20240102T030405Z"}}}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        let tree = context.tree
        var out: [Diagnostic] = []
        if let (node, bytes) = ValueText.member(tree, context.fields.eventTime),
           UTCTime.strictExtended(bytes) == nil {
            var zoneOptional = false
            if let category = context.fields.eventCategory {
                zoneOptional = tree.stringEquals(category, "ActivityAuditLog")
            }
            if let d = eventTimeFinding(context, node, bytes, zoneOptional: zoneOptional) { out.append(d) }
        }
        if let (node, bytes) = ValueText.member(tree, context.fields.creationDate),
           UTCTime.strictExtended(bytes) == nil,
           let d = creationDateFinding(context, node, bytes) {
            out.append(d)
        }
        return out
    }

    /// The finding for an `eventTime` that is not strictly `YYYY-MM-DDTHH:MM:SSZ` with a real date.
    func eventTimeFinding(_ context: RecordContext, _ node: Int, _ bytes: ArraySlice<UInt8>, zoneOptional: Bool) -> Diagnostic? {
        let meta = Self.metadata
        let shown = ValueText.quoted(bytes)
        if let (y, mo, d, h, mi, s) = UTCTime.extendedFields(bytes),
           let problem = UTCTime.calendarProblem(year: y, month: mo, day: d, hour: h, minute: mi, second: s) {
            return context.diagnostic(meta, "eventTime \(shown) is not a real time: \(problem)", at: node)
        }
        if bytes.isEmpty {
            return context.diagnostic(meta, "eventTime is empty; CloudTrail writes the UTC time as `YYYY-MM-DDTHH:MM:SSZ`", at: node)
        }
        if ValueText.isPlaceholder(bytes) {
            return context.diagnostic(meta, "eventTime \(shown) is a documentation placeholder, not a timestamp",
                                      at: node, severity: .warning)
        }
        guard let parsed = LenientTimestamp(bytes) else {
            return context.diagnostic(meta, "eventTime \(shown) is not a timestamp of the form `YYYY-MM-DDTHH:MM:SSZ`", at: node)
        }
        if let problem = parsed.calendarProblem {
            return context.diagnostic(meta, "eventTime \(shown) is not a real time: \(problem)", at: node)
        }
        let deviations = parsed.deviations(basicAllowed: false, zoneOptional: zoneOptional)
        if deviations.isEmpty { return nil }
        let canonical = parsed.utc.extended
        return context.diagnostic(
            meta, "eventTime \(shown) has \(ValueText.list(deviations)); CloudTrail writes `\(canonical)`", at: node,
            fix: ValueText.replaceFix(context.tree, node, with: canonical, title: "Rewrite as `\(canonical)`"))
    }

    /// The finding for a `creationDate` that is neither strict extended nor strict basic form of a real time.
    func creationDateFinding(_ context: RecordContext, _ node: Int, _ bytes: ArraySlice<UInt8>) -> Diagnostic? {
        let meta = Self.metadata
        let shown = ValueText.quoted(bytes)
        let fields = UTCTime.extendedFields(bytes) ?? UTCTime.basicFields(bytes)
        if let (y, mo, d, h, mi, s) = fields {
            guard let problem = UTCTime.calendarProblem(year: y, month: mo, day: d, hour: h, minute: mi, second: s) else {
                return nil  // a valid basic-form time
            }
            return context.diagnostic(meta, "creationDate \(shown) is not a real time: \(problem)", at: node)
        }
        // Empty strings appear in AWS's own service-event samples; other rules judge missing data.
        if bytes.isEmpty { return nil }
        if ValueText.isPlaceholder(bytes) {
            return context.diagnostic(meta, "creationDate \(shown) is a documentation placeholder, not a timestamp",
                                      at: node, severity: .warning)
        }
        guard let parsed = LenientTimestamp(bytes) else {
            return context.diagnostic(
                meta, "creationDate \(shown) is not an ISO 8601 timestamp such as `2024-01-02T03:04:05Z` or `20240102T030405Z`",
                at: node)
        }
        if let problem = parsed.calendarProblem {
            return context.diagnostic(meta, "creationDate \(shown) is not a real time: \(problem)", at: node)
        }
        let deviations = parsed.deviations(basicAllowed: true)
        if deviations.isEmpty { return nil }
        let canonical = parsed.isBasic ? parsed.utc.basic : parsed.utc.extended
        return context.diagnostic(
            meta, "creationDate \(shown) has \(ValueText.list(deviations)); CloudTrail writes `\(canonical)`", at: node,
            severity: .warning,
            fix: ValueText.replaceFix(context.tree, node, with: canonical, title: "Rewrite as `\(canonical)`"))
    }
}
