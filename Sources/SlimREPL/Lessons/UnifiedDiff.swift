/// A unified diff of two line lists (as `diff -u` prints it), for showing how a replayed
/// cell's output differs from its recorded block.
public enum UnifiedDiff {
    /// One line of an edit script.
    enum Edit: Equatable {
        case same(Int, Int)      // index in old, index in new
        case removed(Int)
        case added(Int)
    }

    /// The hunks of `diff -u` between `old` and `new` with `context` lines around each
    /// change; empty when the lists are equal under `equal`. Line numbers in hunk headers are
    /// offset by `oldStart`, so they point into the lesson file.
    public static func hunks(old: [String], new: [String], context: Int = 3, oldStart: Int = 1,
                             equal: (String, String) -> Bool = { $0 == $1 }) -> [String] {
        let edits = editScript(old, new, equal: equal)
        guard edits.contains(where: { if case .same = $0 { return false } else { return true } }) else {
            return []
        }
        var output: [String] = []
        var i = 0
        while i < edits.count {
            guard let changeStart = edits[i...].firstIndex(where: { if case .same = $0 { false } else { true } }) else { break }
            var hunkStart = max(i, changeStart - context)
            if !output.isEmpty { hunkStart = max(hunkStart, i) }
            // Extend while the next change is within 2·context of the last one.
            var hunkEnd = changeStart
            var k = changeStart
            var sameRun = 0
            while k < edits.count {
                if case .same = edits[k] {
                    sameRun += 1
                    if sameRun > 2 * context { break }
                } else {
                    sameRun = 0
                    hunkEnd = k
                }
                k += 1
            }
            hunkEnd = min(edits.count - 1, hunkEnd + context)
            let slice = edits[hunkStart...hunkEnd]
            let (oldFirst, newFirst) = firstIndices(edits, from: hunkStart)
            let oldCount = slice.filter { if case .added = $0 { false } else { true } }.count
            let newCount = slice.filter { if case .removed = $0 { false } else { true } }.count
            output.append("@@ -\(oldFirst + oldStart),\(oldCount) +\(newFirst + 1),\(newCount) @@")
            for edit in slice {
                switch edit {
                case let .same(a, _): output.append(" " + old[a])
                case let .removed(a): output.append("-" + old[a])
                case let .added(b): output.append("+" + new[b])
                }
            }
            i = hunkEnd + 1
        }
        return output
    }

    private static func firstIndices(_ edits: [Edit], from index: Int) -> (Int, Int) {
        var oldIndex = 0, newIndex = 0
        for edit in edits[..<index] {
            switch edit {
            case .same: oldIndex += 1; newIndex += 1
            case .removed: oldIndex += 1
            case .added: newIndex += 1
            }
        }
        return (oldIndex, newIndex)
    }

    /// The shortest edit script by longest common subsequence (outputs are short, so the
    /// quadratic table is fine).
    static func editScript(_ old: [String], _ new: [String], equal: (String, String) -> Bool) -> [Edit] {
        let n = old.count, m = new.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = equal(old[i], new[j]) ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        var edits: [Edit] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && equal(old[i], new[j]) {
                edits.append(.same(i, j)); i += 1; j += 1
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                edits.append(.removed(i)); i += 1
            } else {
                edits.append(.added(j)); j += 1
            }
        }
        return edits
    }
}
