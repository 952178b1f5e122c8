import CTCore
import CTJSON

/// A rule judged over a whole run (every input of one `check`): it collects facts from each record of each
/// document, on the worker that lints the document, and gives its findings once every document is done. The facts
/// carry their positions (`RunFacts.locate`, while the document's bytes are at hand), so a finding is placed without
/// reading its file again.
///
/// To add one: a type with `metadata`, a collector class for one document's facts, and `findings(in:)`; then list
/// it in `RuleRegistry.runRules`.
package protocol RunRule: Sendable {
    static var metadata: RuleMetadata { get }
    /// An empty collector for one document, or for a part of one collected apart (a JSON Lines line, a
    /// `CloudTrailEvent` string).
    func makeCollector() -> any RunRuleCollector
    /// The run's findings for each document, in input order (parallel to `documents`, each sorted).
    func findings(in documents: [RunRuleDocument]) -> [[LocatedDiagnostic]]
}

/// One document's facts for one run rule. Filled by one thread, the worker linting the document, then handed to
/// the run once the document is done: it is never shared while it changes.
package protocol RunRuleCollector: AnyObject, Sendable {
    /// Adds what `record` (a record object of `tree`) gives.
    func collect(_ record: RunRecord, in tree: SyntaxTree)
    /// Adds the facts of a part of the document collected apart by a collector of the same rule: ranges mapped
    /// into the document by `map`, pointers prefixed with `pointerPrefix`.
    func append(_ part: any RunRuleCollector, range map: (TextRange) -> TextRange, pointerPrefix: String?)
    var isEmpty: Bool { get }
    /// Whether facts were added since the last `place`.
    var hasUnplaced: Bool { get }
    /// Gives the facts added since the last `place` their positions, from `resolver`.
    func place(_ resolver: inout PositionResolver)
}

/// What a run rule reads of one record, besides its tree (passed apart: a tree copied into every record's
/// value cost four retains and releases a record).
package struct RunRecord {
    /// The record object's node.
    package let record: Int
    /// Added to the tree's ranges to give the document's (a record parsed alone out of a window is at 0).
    package let shift: Int
    /// The record's JSON Pointer is `arrayPointer/index`, or `arrayPointer` itself when `index` is -1.
    package let arrayPointer: String
    package let index: Int
    /// The record's `eventID` and `resources` value nodes when the record rules found them already (`.some(nil)`:
    /// the record has none), so they are not searched for again.
    package let eventID: Int??
    package let resources: Int??

    package init(record: Int, shift: Int = 0, arrayPointer: String, index: Int,
                eventID: Int?? = nil, resources: Int?? = nil) {
        self.record = record
        self.shift = shift
        self.arrayPointer = arrayPointer
        self.index = index
        self.eventID = eventID
        self.resources = resources
    }

    /// The record's JSON Pointer (built on demand: one string per record cost 1% of a day's check).
    package var pointer: String { index >= 0 ? arrayPointer + "/\(index)" : arrayPointer }
}

/// A document as a run rule sees it at the end of the run: its name and its collector of that rule.
package struct RunRuleDocument {
    package var displayName: String
    package var facts: any RunRuleCollector

    package init(displayName: String, facts: any RunRuleCollector) {
        self.displayName = displayName
        self.facts = facts
    }
}

/// The facts one document gives each run rule the linter runs (parallel to its list of them).
package struct RunFacts: Sendable {
    package let collectors: [any RunRuleCollector]

    package init(rules: [any RunRule]) { collectors = rules.map { $0.makeCollector() } }

    package func collect(_ record: RunRecord, in tree: SyntaxTree) {
        for c in collectors { c.collect(record, in: tree) }
    }

    /// Adds the facts of a part of the document (made with the same rules), ranges mapped by `map`.
    package func append(_ part: RunFacts, range map: (TextRange) -> TextRange, pointerPrefix: String? = nil) {
        for (c, p) in zip(collectors, part.collectors) where !p.isEmpty { c.append(p, range: map, pointerPrefix: pointerPrefix) }
    }

    package var isEmpty: Bool { collectors.allSatisfy(\.isEmpty) }
    package var hasUnplaced: Bool {
        for c in collectors where c.hasUnplaced { return true }
        return false
    }

    /// Resolves the positions of every fact not placed yet, over `window` (the input's bytes from `windowBase` on),
    /// with `cursor` at or before all of them; `plainUpTo` as for `PositionResolver`. Returns the cursor at the
    /// furthest fact, for a caller that moves on.
    @discardableResult
    package func locate(from cursor: PositionCursor, in window: UnsafeBufferPointer<UInt8>, windowBase: Int,
                        plainUpTo: Int? = nil) -> PositionCursor {
        var resolver = PositionResolver(from: cursor, in: window, windowBase: windowBase, plainUpTo: plainUpTo)
        for c in collectors where c.hasUnplaced { c.place(&resolver) }
        return resolver.current
    }
}
