/// Reads a lesson's Markdown.
///
/// The format: a `# Title` line; opening `key: value` lines (`duration:`, `seed:`,
/// `tolerance:`, `precision:`); then prose, cells and exercises. A cell is a ```` ```slimlab ````
/// fence of commands (lines starting with `#` are comments), optionally followed — after blank
/// lines only — by an ```` ```output ```` fence with the recorded output. An exercise is an
/// ```` ```exercise ```` fence (see `LessonExercise`).
public enum LessonParser {
    public static func parse(_ text: String, slug: String) throws(LessonError) -> Lesson {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let number = Int(slug.prefix(while: \.isNumber)) ?? 0

        guard let titleIndex = lines.firstIndex(where: { $0.hasPrefix("# ") }) else {
            throw LessonError(file: slug, line: 1, problem: "no '# Title' line")
        }
        let title = LessonText.trim(lines[titleIndex].dropFirst(2))

        var settings = LessonSettings()
        var duration = ""
        var parts: [LessonPart] = []
        var prose: [String] = []
        var cellNumber = 0
        var exerciseNumber = 0
        var index = titleIndex + 1
        var inOpening = true

        func flushProse() {
            let text = LessonText.trimBlankLines(prose.joined(separator: "\n"))
            if !text.isEmpty { parts.append(.prose(text)) }
            prose = []
        }

        while index < lines.count {
            let line = lines[index]
            let trimmed = LessonText.trim(line)
            if inOpening, let (key, value) = settingLine(trimmed) {
                switch key {
                case "duration": duration = value
                case "seed":
                    guard let seed = UInt64(value) else {
                        throw LessonError(file: slug, line: index + 1,
                                          problem: "seed must be a whole number ≥ 0, got '\(value)'")
                    }
                    settings.seed = seed
                case "tolerance":
                    guard let tolerance = Double(value), tolerance >= 0, tolerance < 1 else {
                        throw LessonError(file: slug, line: index + 1,
                                          problem: "tolerance must be a number in [0, 1), got '\(value)'")
                    }
                    settings.tolerance = tolerance
                case "precision":
                    guard let precision = Int(value), SessionSettings.precisionRange.contains(precision) else {
                        throw LessonError(file: slug, line: index + 1,
                                          problem: "precision must be a whole number from 0 to 12, got '\(value)'")
                    }
                    settings.precision = precision
                default: break
                }
                index += 1
                continue
            }
            if !trimmed.isEmpty { inOpening = false }

            if let fence = fenceOpening(line) {
                guard let close = closingFence(lines, after: index, fence: fence.marker) else {
                    throw LessonError(file: slug, line: index + 1, problem: "fenced block is never closed")
                }
                if fence.tag == "output" {
                    throw LessonError(file: slug, line: index + 1,
                                      problem: "an 'output' block must follow a 'slimlab' cell")
                }
                if fence.tag == "exercise" {
                    flushProse()
                    exerciseNumber += 1
                    let body = Array(lines[(index + 1)..<close])
                    parts.append(.exercise(try LessonExercise.parse(body, number: exerciseNumber, line: index + 1, file: slug)))
                    index = close + 1
                    continue
                }
                if fence.tag != "slimlab" {
                    prose.append(contentsOf: lines[index...close])
                    index = close + 1
                    continue
                }
                flushProse()
                cellNumber += 1
                let commands = lines[(index + 1)..<close]
                    .map { LessonText.trim($0) }
                    .filter { !$0.isEmpty && !$0.hasPrefix("#") }
                if commands.isEmpty {
                    throw LessonError(file: slug, line: index + 1, problem: "cell \(cellNumber) has no commands")
                }
                var cell = LessonCell(number: cellNumber, commands: commands, expectedOutput: nil,
                                      line: index + 1, outputLines: nil, insertionLine: close)
                var next = close + 1
                while next < lines.count && LessonText.trim(lines[next]).isEmpty { next += 1 }
                if next < lines.count, let outputFence = fenceOpening(lines[next]), outputFence.tag == "output" {
                    guard let outputClose = closingFence(lines, after: next, fence: outputFence.marker) else {
                        throw LessonError(file: slug, line: next + 1, problem: "output block is never closed")
                    }
                    cell.outputLines = (next + 1)..<outputClose
                    cell.expectedOutput = Array(lines[(next + 1)..<outputClose])
                    index = outputClose + 1
                } else {
                    index = close + 1
                }
                parts.append(.cell(cell))
                continue
            }
            prose.append(line)
            index += 1
        }
        flushProse()
        return Lesson(slug: slug, number: number, title: title, duration: duration,
                      settings: settings, parts: parts, sourceLines: lines)
    }

    private static func settingLine(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = LessonText.trim(line[..<colon]).lowercased()
        guard ["duration", "seed", "tolerance", "precision"].contains(key) else { return nil }
        return (key, LessonText.trim(line[line.index(after: colon)...]))
    }

    private static func fenceOpening(_ line: String) -> (marker: String, tag: String)? {
        let trimmed = LessonText.trim(line)
        guard trimmed.hasPrefix("```") else { return nil }
        let marker = String(trimmed.prefix(while: { $0 == "`" }))
        let tag = LessonText.trim(trimmed.dropFirst(marker.count))
        return (marker, tag)
    }

    private static func closingFence(_ lines: [String], after index: Int, fence: String) -> Int? {
        var i = index + 1
        while i < lines.count {
            let trimmed = LessonText.trim(lines[i])
            if trimmed.hasPrefix(fence) && trimmed.allSatisfy({ $0 == "`" }) { return i }
            i += 1
        }
        return nil
    }
}

/// A problem in a lesson file, with the line it is on.
public struct LessonError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var problem: String

    public var description: String { "\(file):\(line): \(problem)" }
}

/// Small text helpers of the lesson code, kept in one namespace.
enum LessonText {
    static func trim<S: StringProtocol>(_ text: S) -> String {
        var s = Substring(text)
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return String(s)
    }

    static func trimBlankLines(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, trim(first).isEmpty { lines.removeFirst() }
        while let last = lines.last, trim(last).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
