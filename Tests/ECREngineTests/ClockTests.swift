import TestSupport
import XCTest
@testable import ECREngine

final class ClockTests: XCTestCase {
    func testTheTestClockWakesSleepersInOrderOnlyWhenAdvanced() async throws {
        let clock = TestClock()
        let start = clock.instant
        let order = OrderLog()
        let a = Task { try await clock.sleep(for: .seconds(5)); await order.add("a") }
        let b = Task { try await clock.sleep(for: .seconds(2)); await order.add("b") }
        await eventually("two sleepers") { clock.sleeperCount == 2 }
        XCTAssertEqual(clock.nextWake, start.advanced(by: .seconds(2)))
        clock.advance(by: .seconds(1))
        XCTAssertEqual(clock.sleeperCount, 2)
        clock.advance(by: .seconds(1))
        try await b.value
        XCTAssertEqual(clock.sleeperCount, 1)
        XCTAssertEqual(clock.now, Date(timeIntervalSince1970: 1_795_242_722))
        XCTAssertTrue(clock.advanceToNextWake())
        try await a.value
        let names = await order.names
        XCTAssertEqual(names, ["b", "a"])
        XCTAssertEqual(start.duration(to: clock.instant), .seconds(5))
        XCTAssertFalse(clock.advanceToNextWake())
    }

    func testASleepInThePastReturnsAtOnceAndCancellationWakes() async throws {
        let clock = TestClock()
        try await clock.sleep(until: clock.instant)
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        await eventually("one sleeper") { clock.sleeperCount == 1 }
        sleeper.cancel()
        do {
            try await sleeper.value
            XCTFail("a cancelled sleep throws")
        } catch is CancellationError {}
        XCTAssertEqual(clock.sleeperCount, 0)
    }

    func testTheSystemClockIsMonotonic() async throws {
        let clock = TillClock()
        let a = clock.instant
        try await clock.sleep(for: .milliseconds(2))
        XCTAssertGreaterThanOrEqual(a.duration(to: clock.instant), .milliseconds(2))
    }

    func testInstantsAndMoments() {
        let base = EngineInstant(nanoseconds: 10_000_000_000)
        XCTAssertEqual(base.advanced(by: .seconds(-20)), EngineInstant(nanoseconds: 0))
        XCTAssertEqual(base.advanced(by: .milliseconds(1500)).duration(to: base), .milliseconds(-1500))
        let moment = Moment(wall: Date(timeIntervalSince1970: 100), instant: base)
        XCTAssertEqual(moment.wallTime(at: base.advanced(by: .seconds(90))), Date(timeIntervalSince1970: 190))
    }
}

actor OrderLog {
    var names: [String] = []
    func add(_ name: String) { names.append(name) }
}
