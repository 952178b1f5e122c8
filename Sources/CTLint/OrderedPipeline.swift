import Dispatch
import Foundation

/// Pieces of one large input (a stretch of a log's records, a run of JSON Lines lines) handed to worker threads as
/// they are read, and taken back in the order they were submitted, so that what is done with the outcomes (locating
/// findings, the facts of the run-level rules) happens exactly as it would on one thread.
///
/// The thread that submits also takes: it keeps at most `maxInFlight` pieces submitted and not taken, so memory
/// holds a few pieces whatever the input's size.
final class OrderedPipeline<Piece: Sendable, Outcome: Sendable>: @unchecked Sendable {
    // Every field is read and written under `condition`'s lock.
    private let condition = NSCondition()
    private var pieces: [Int: Piece] = [:]
    private var outcomes: [Int: Outcome] = [:]
    private var submitted = 0
    private var claimed = 0
    private var taken = 0
    private var closed = false
    private let workers = DispatchGroup()
    /// Pieces submitted and not yet taken, at most.
    let maxInFlight: Int

    /// Starts `workers` threads, each running `work` with a state of its own (made by `state`, kept from piece to
    /// piece: a parser's scratch arrays).
    init<State>(workers count: Int, maxInFlight: Int, state: @escaping @Sendable () -> State,
                work: @escaping @Sendable (Piece, inout State) -> Outcome) {
        self.maxInFlight = max(maxInFlight, count)
        for _ in 0..<count {
            DispatchQueue.global(qos: .userInitiated).async(group: workers) { [self] in
                var local = state()
                while let (i, piece) = claim() { finish(i, work(piece, &local)) }
            }
        }
    }

    /// Pieces submitted and not yet taken.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return submitted - taken
    }

    /// Hands `piece` to the workers; its outcome is `take(n)`, `n` the number of pieces submitted before it.
    func submit(_ piece: Piece) {
        condition.lock()
        pieces[submitted] = piece
        submitted += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The outcome of piece `i` (taken in order, each once), waiting for it.
    func take(_ i: Int) -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        while outcomes[i] == nil { condition.wait() }
        taken = i + 1
        return outcomes.removeValue(forKey: i)!
    }

    /// The outcome of piece `i` when it is done, else nil (no wait).
    func takeIfDone(_ i: Int) -> Outcome? {
        condition.lock()
        defer { condition.unlock() }
        guard let outcome = outcomes.removeValue(forKey: i) else { return nil }
        taken = i + 1
        return outcome
    }

    /// No more pieces: the workers end once the submitted ones are done. With `discarding`, the pieces not started
    /// are dropped. Waits for the workers.
    func close(discarding: Bool = false) {
        condition.lock()
        closed = true
        if discarding {
            pieces.removeAll()
            claimed = submitted
        }
        condition.broadcast()
        condition.unlock()
        workers.wait()
    }

    private func claim() -> (Int, Piece)? {
        condition.lock()
        defer { condition.unlock() }
        while claimed == submitted && !closed { condition.wait() }
        guard claimed < submitted, let piece = pieces.removeValue(forKey: claimed) else { return nil }
        defer { claimed += 1 }
        return (claimed, piece)
    }

    private func finish(_ i: Int, _ outcome: Outcome) {
        condition.lock()
        outcomes[i] = outcome
        condition.broadcast()
        condition.unlock()
    }
}
