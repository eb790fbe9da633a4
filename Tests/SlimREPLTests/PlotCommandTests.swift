import Foundation
import XCTest
@testable import SlimREPL

/// The `plot` commands on a small trained model: each kind draws its chart, `svg=` writes a
/// standalone file, and bad requests get clear errors that change nothing.
final class PlotCommandTests: XCTestCase {
    private func session(width: Int = 80) -> (Session, CapturingSink) {
        let sink = CapturingSink(isTerminal: false, width: width)
        let session = Session(output: sink)
        for line in ["data load digits", "model new mlp 64-16-10 name=base", "train epochs=3 log=3"] {
            XCTAssertEqual(session.execute(line), .succeeded, line)
        }
        _ = sink.take()
        return (session, sink)
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testEveryKindDrawsAChartThatFitsTheWidth() throws {
        let (session, sink) = session()
        XCTAssertEqual(session.execute("prune magnitude sparsity=0.7 from=base as=p70 detail=brief"), .succeeded)
        XCTAssertEqual(session.execute("model use base"), .succeeded)
        XCTAssertEqual(session.execute("quantize granularity=channel calib=mse as=q8"), .succeeded)
        _ = sink.take()
        let kinds: [(String, String)] = [
            ("plot training base", "accuracy of base"),
            ("plot sensitivity base sparsities=0.5,0.9", "sensitivity of base"),
            ("plot compare", "size and accuracy of 3 models"),
            ("plot calibration base", "mse calibration of relu1.out (base, 8-bit)"),
            ("plot activations relu1.out q8", "relu1.out of q8 on the test data"),
            ("plot mask fc1.weight p70", "fc1.weight of p70: "),
            ("plot bits base bits=2,4,8", "base: test accuracy by weight bit width"),
        ]
        for (command, title) in kinds {
            XCTAssertEqual(session.execute(command), .succeeded, command)
            let output = lines(sink.take())
            XCTAssertTrue(output.contains { $0.hasPrefix(title) }, "\(command):\n\(output.joined(separator: "\n"))")
            XCTAssertTrue(output.allSatisfy { DisplayWidth.of($0) <= 80 }, command)
            XCTAssertTrue(output.contains { $0.contains("┬") || $0.contains("┤") }, "\(command) draws axes")
        }
    }

    func testSVGIsWrittenAtomicallyAndIsAStandaloneDocument() throws {
        let (session, sink) = session()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-plot-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("training.svg").path
        XCTAssertEqual(session.execute("plot training svg=\(path)"), .succeeded)
        XCTAssertTrue(sink.take().contains("wrote \(path) (SVG, "))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertTrue(svg.hasSuffix("</svg>\n"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 3, "loss, train and test curves")
        XCTAssertFalse(svg.contains("<script"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["training.svg"],
                       "no temporary file is left behind")
    }

    func testBadRequestsAreClearErrors() {
        let (session, _) = session()
        XCTAssertEqual(session.execute("plot mask fc1.bias"),
                       .failed("fc1.bias has shape [16]; a mask map needs a weight with rows and columns"))
        XCTAssertEqual(session.execute("plot bits bits=1,4"),
                       .failed("bits=1,4: 1 is not allowed; use widths from 2 to 8"))
        XCTAssertEqual(session.execute("model new mlp 64-8-10 name=fresh"), .succeeded)
        XCTAssertEqual(session.execute("plot training fresh"),
                       .failed("fresh has not been trained in this session; 'train' it first (or plot another model)"))
        if case .failed(let message) = session.execute("plot activations relu9.out base") {
            XCTAssertTrue(message.contains("relu9.out"), message)
        } else {
            XCTFail("an unknown activation is an error")
        }
        XCTAssertNotEqual(session.execute("plot"), .succeeded, "a plot needs its kind")
        XCTAssertEqual(session.workspace.variants.names, ["base", "fresh"], "failed plots change nothing")
    }
}
