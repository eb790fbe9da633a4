import Foundation
import XCTest
import SlimLab
@testable import SlimREPL

/// Replays every lesson at 80, 110 and 160 columns (an injected output width, otherwise
/// script mode) and fails on any line wider than the width, on any box whose borders do not
/// line up, and on any cell taller than 60 rows at 110 columns (a projector's screen and a
/// bit: `detail=brief` keeps a technique to its result, and `steps VARIANT N-M` shows a long
/// run a few steps at a time). One test per lesson.
final class LessonWidthTests: XCTestCase {
    static let widths = [80, 110, 160]

    func test00Tour() throws { try assertFits("00-tour") }
    func test01Baseline() throws { try assertFits("01-baseline") }
    func test02MagnitudePruning() throws { try assertFits("02-magnitude-pruning") }
    func test03StructuredAndSchedules() throws { try assertFits("03-structured-and-schedules") }
    func test04QuantizationBasics() throws { try assertFits("04-quantization-basics") }
    func test05CalibrationAndInt8() throws { try assertFits("05-calibration-and-int8") }
    func test06LowBitAndQAT() throws { try assertFits("06-low-bit-and-qat") }
    func test07Distillation() throws { try assertFits("07-distillation") }
    func test08Pipeline() throws { try assertFits("08-pipeline") }
    func test09DeepCompression() throws { try assertFits("09-deep-compression") }
    func test10Choosing() throws { try assertFits("10-choosing") }

    func testEveryLessonIsChecked() {
        let slugs = LessonLibrary(folder: LessonReplayTests.lessonsFolder).slugs()
        XCTAssertFalse(slugs.isEmpty)
        XCTAssertEqual(Set(slugs).subtracting(Self.checked), [],
                       "add a test method and an entry in `checked` for each new lesson")
    }

    /// The lessons this file checks, one test method each.
    static let checked: Set<String> = ["00-tour", "01-baseline", "02-magnitude-pruning", "03-structured-and-schedules",
                                       "04-quantization-basics", "05-calibration-and-int8", "06-low-bit-and-qat",
                                       "07-distillation", "08-pipeline", "09-deep-compression", "10-choosing"]

    static let maximumRows = 60

    func testTheBoxCheckFindsABrokenBorder() {
        XCTAssertEqual(Self.brokenBoxes(["  ┌───┐", "  │ a │", "  └───┘"]), [])
        XCTAssertEqual(Self.brokenBoxes(["  ┌───┐", "  │ ab │", "  └───┘"]), ["  │ ab │"])
        XCTAssertEqual(Self.brokenBoxes(["  ┌───┐", "  │ a", "  └───┘"]), ["  │ a"])
    }

    private func assertFits(_ slug: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = LessonReplayTests.lessonsFolder.appendingPathComponent(slug + ".md")
        let lesson = try LessonLibrary.load(url)
        for width in Self.widths {
            let workspace = Workspace(seed: lesson.settings.seed)
            let session = Session(workspace: workspace, output: CapturingSink(isTerminal: false, width: width))
            let context = session.context
            let player = LessonPlayer(lesson: lesson, file: url, context: context)
            context.lesson = player
            var outputs: [(number: Int, lines: [String])] = []
            for step in lesson.steps {
                switch step {
                case let .cell(cell): outputs.append((cell.number, player.run(cell, in: context, live: false).output))
                case .exercise: _ = player.skip(in: context)
                }
                player.advance()
            }
            for (number, lines) in outputs {
                let wide = lines.filter { DisplayWidth.of($0) > width }
                XCTAssertTrue(wide.isEmpty, "\(slug) cell \(number) at \(width) columns: \(wide.count) lines too wide:\n"
                              + wide.prefix(5).joined(separator: "\n"), file: file, line: line)
                let broken = Self.brokenBoxes(lines)
                XCTAssertTrue(broken.isEmpty, "\(slug) cell \(number) at \(width) columns: broken box:\n"
                              + broken.prefix(5).joined(separator: "\n"), file: file, line: line)
                if width == 110 {
                    XCTAssertLessThanOrEqual(lines.count, Self.maximumRows,
                                             "\(slug) cell \(number) prints \(lines.count) rows at 110 columns: "
                                                 + "use detail=brief, and 'steps VARIANT N-M' in cells of their own where the prose reads the steps",
                                             file: file, line: line)
                }
            }
        }
    }

    /// The lines of boxes (`┌…┐`, `│…│`, `└…┘`) whose left or right border is not under the
    /// top corners.
    static func brokenBoxes(_ lines: [String]) -> [String] {
        var broken: [String] = []
        var index = 0
        while index < lines.count {
            let top = Array(lines[index])
            guard let left = top.firstIndex(of: "┌"), let right = top.lastIndex(of: "┐"), left < right else {
                index += 1
                continue
            }
            let leftColumn = DisplayWidth.of(String(top[..<left]))
            let rightColumn = DisplayWidth.of(String(top[..<right]))
            index += 1
            while index < lines.count {
                let row = lines[index]
                let atLeft = Self.character(row, atColumn: leftColumn)
                let atRight = Self.character(row, atColumn: rightColumn)
                let closes = atLeft == "└"
                let expectedRight: Character = closes ? "┘" : "│"
                if atLeft != "│" && !closes || atRight != expectedRight || DisplayWidth.of(row) != rightColumn + 1 {
                    broken.append(row)
                }
                index += 1
                if closes || atLeft != "│" { break }
            }
        }
        return broken
    }

    private static func character(_ line: String, atColumn column: Int) -> Character? {
        var used = 0
        for character in line {
            if used == column { return character }
            used += DisplayWidth.of(character)
            if used > column { return nil }
        }
        return nil
    }
}
