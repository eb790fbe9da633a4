/// Which weights of a 2-D tensor a pruning kept, as a map: one braille dot per weight (a dot
/// is a kept weight, a gap a pruned one), or per block of weights when the tensor is larger
/// than the screen (a dot when at least half the block is kept).
///
/// ```
/// fc1.weight of pruned-80: 20.0% kept (819 of 4,096)
///      0 ┤⣿⡇⢸⣿⠀⣿⡇⢸
///     63 ┤⠉⠁⠈⠉⠀⠉⠁⠈
///        └┬──────┬
///         0     63
/// ```
public struct MaskMap: Sendable {
    public var title: String
    public var rows: Int
    public var columns: Int
    /// Row-major, `rows × columns`: true where the weight is kept.
    public var kept: [Bool]
    /// What the rows and columns are (`output unit`, `input`).
    public var rowLabel: String
    public var columnLabel: String

    public init(title: String, rows: Int, columns: Int, kept: [Bool], rowLabel: String = "row", columnLabel: String = "column") {
        precondition(kept.count == rows * columns, "MaskMap: \(kept.count) entries for \(rows)×\(columns)")
        self.title = title
        self.rows = rows
        self.columns = columns
        self.kept = kept
        self.rowLabel = rowLabel
        self.columnLabel = columnLabel
    }

    public var keptCount: Int { kept.lazy.filter { $0 }.count }

    /// How many weights one dot stands for, down and across, to fit `cells` × `lines`.
    func block(cells: Int, lines: Int) -> (down: Int, across: Int) {
        let across = max(1, (columns + cells * 2 - 1) / (cells * 2))
        let down = max(1, (rows + lines * 4 - 1) / (lines * 4))
        return (down, across)
    }

    /// Whether the dot at (dotRow, dotColumn) is on: at least half its block kept.
    func isOn(_ dotRow: Int, _ dotColumn: Int, block: (down: Int, across: Int)) -> Bool? {
        let r0 = dotRow * block.down, c0 = dotColumn * block.across
        guard r0 < rows, c0 < columns else { return nil }
        var on = 0, total = 0
        for r in r0..<min(rows, r0 + block.down) {
            for c in c0..<min(columns, c0 + block.across) {
                total += 1
                if kept[r * columns + c] { on += 1 }
            }
        }
        return on * 2 >= total
    }

    /// The map as text at most `width` columns wide and `height` lines of dots high.
    public func render(width: Int, height: Int = 16, style: TextStyler = .plain) -> [String] {
        let rowLabels = ["0", String(rows - 1)]
        let gutter = (rowLabels.map(\.count).max() ?? 1) + 1
        let cells = max(4, min(PlotText.maximumWidth, width) - gutter - 2)
        let dotBlock = self.block(cells: cells, lines: max(2, height))
        let dotColumns = (columns + dotBlock.across - 1) / dotBlock.across
        let dotRows = (rows + dotBlock.down - 1) / dotBlock.down
        let shownCells = (dotColumns + 1) / 2
        let shownLines = (dotRows + 3) / 4
        let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        let percent = NumberFormatting.percent(Double(keptCount) / Double(max(1, kept.count)), digits: 1)
        var lines = [style(title, .bold) + ": \(percent) kept (\(NumberFormatting.grouped(keptCount)) of "
                     + NumberFormatting.grouped(kept.count) + ")"]
        lines.append(style("\(rowLabel) ↓ · \(columnLabel) →", .dim))
        for line in 0..<shownLines {
            var text = ""
            for cell in 0..<shownCells {
                var pattern: UInt32 = 0
                for dy in 0..<4 {
                    for dx in 0..<2 where isOn(line * 4 + dy, cell * 2 + dx, block: dotBlock) == true {
                        pattern |= bits[dy][dx]
                    }
                }
                text += String(Character(Unicode.Scalar(0x2800 + pattern)!))
            }
            let label = line == 0 ? "0" : line == shownLines - 1 ? String(rows - 1) : ""
            lines.append(DisplayWidth.padLeft(label, to: gutter - 1) + " " + (label.isEmpty ? "│" : "┤") + style(text, .accent))
        }
        var axis = Array(String(repeating: "─", count: shownCells))
        axis[0] = "┬"
        axis[shownCells - 1] = "┬"
        lines.append(String(repeating: " ", count: gutter) + "└" + String(axis))
        let last = String(columns - 1)
        let pad = max(1, shownCells - 1 - last.count + 1)
        lines.append(String(repeating: " ", count: gutter + 1) + "0" + String(repeating: " ", count: pad) + last)
        let scale = dotBlock.down == 1 && dotBlock.across == 1
            ? "one dot = one weight"
            : "one dot = \(dotBlock.down)×\(dotBlock.across) weights, shown when at least half are kept"
        lines.append("dots: kept weights · gaps: pruned · " + scale)
        return lines.map(PlotText.trimmed)
    }
}
