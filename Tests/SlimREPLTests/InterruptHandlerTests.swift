import XCTest
import Glibc
import SlimLab
@testable import SlimREPL

final class InterruptHandlerTests: XCTestCase {
    func testSigintRaisesTheStopSignalInsteadOfEndingTheProcess() {
        let stop = StopSignal()
        InterruptHandler.install(stop: stop)
        defer { InterruptHandler.uninstall() }
        XCTAssertFalse(stop.isRequested)
        raise(SIGINT)
        XCTAssertTrue(stop.isRequested)
        XCTAssertTrue(InterruptHandler.takePending())
        XCTAssertFalse(InterruptHandler.takePending(), "taking clears the mark")
        stop.reset()

        let other = StopSignal()
        InterruptHandler.install(stop: other)
        raise(SIGINT)
        XCTAssertTrue(other.isRequested)
        XCTAssertFalse(stop.isRequested, "only the installed signal is raised")
    }

    func testSessionResetsTheStopSignalBeforeEachCommand() {
        let session = Session.scripted()
        session.workspace.stop.request()
        XCTAssertEqual(session.execute("set seed=3"), .succeeded)
        XCTAssertFalse(session.workspace.stop.isRequested)
    }
}
