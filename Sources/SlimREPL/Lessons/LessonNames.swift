/// The model names a lesson's cells make, so the player can keep a learner from taking a name
/// a later cell needs.
///
/// A name counts as made by a cell when one of its commands gives it (`as=NAME`, `name=NAME`,
/// `model copy A NAME`) or when the cell's recorded output first shows it in the prompt
/// (`slimlab[NAME]> `, which also catches names a command chooses itself).
enum LessonNames {
    /// Each name and the number of the first cell that makes it.
    static func made(by lesson: Lesson) -> [String: Int] {
        var made: [String: Int] = [:]
        for cell in lesson.cells {
            for command in cell.commands {
                for name in given(in: command) where made[name] == nil { made[name] = cell.number }
            }
            for (index, line) in (cell.expectedOutput ?? []).enumerated() {
                guard let name = promptName(line), made[name] == nil else { continue }
                // A name in the cell's first prompt was made by an earlier cell.
                made[name] = index == 0 ? max(1, cell.number - 1) : cell.number
            }
        }
        return made
    }

    /// The names a command line gives to a new model.
    static func given(in command: String) -> [String] {
        var names: [String] = []
        for piece in CommandLineTokenizer.splitCommands(command) {
            guard let words = try? CommandLineTokenizer.words(piece) else { continue }
            for word in words {
                if let key = word.key, key == "as" || key == "name", let value = word.value, !value.isEmpty {
                    names.append(value)
                }
            }
            let texts = words.map(\.text)
            if texts.count >= 4, texts[0] == "model", ["copy", "cp"].contains(texts[1]) { names.append(texts[3]) }
        }
        return names
    }

    /// `NAME` of a line that starts with the prompt `slimlab[NAME]> `.
    static func promptName(_ line: String) -> String? {
        guard line.hasPrefix("slimlab["), let close = line.firstIndex(of: "]") else { return nil }
        let name = line[line.index(line.startIndex, offsetBy: 8)..<close]
        guard line[close...].hasPrefix("]> "), !name.isEmpty else { return nil }
        return String(name)
    }
}
