/// Draws a `Plot` as lines of text: a y axis with ticks and labels on the left, an x axis with
/// ticks under the chart, lines in braille dots (2 × 4 per character), markers at the data
/// points, bars in eighths of a character, guides as dotted lines, and a legend.
///
/// ```
/// test accuracy
/// 100% ┤           ●⠒⠒⠒○⠒⠒⠒●
///  95% ┤     ●⠔⠊⠉
///  90% ┼──┬─────┬─────┬──
///         1     10    20
///                  epoch
/// ● train  ○ test
/// ```
public struct PlotText: Sendable {
    /// The widest a chart is drawn, even on a wider terminal.
    public static let maximumWidth = 100

    public var width: Int
    /// Rows of the drawing area (between the title and the x axis).
    public var height: Int
    public var style: TextStyler

    public init(width: Int, height: Int = 10, style: TextStyler = .plain) {
        self.width = min(Self.maximumWidth, max(30, width))
        self.height = max(3, height)
        self.style = style
    }

    /// The colors series are drawn in, in turn (markers tell them apart without colors).
    static let palette: [TextStyle] = [.accent, .good, .warning, .error, .bold]

    private struct Cell {
        var dots: UInt8 = 0
        var text: Character?
        var owner: Int?
        var guide: Bool = false
    }

    public func render(_ plot: Plot) -> [String] {
        let xs = plot.series.flatMap { $0.points.map(\.x) } + plot.verticalGuides.map(\.value)
        var ys = plot.series.flatMap { $0.points.map(\.y) } + plot.horizontalGuides.map(\.value)
        if plot.series.contains(where: { $0.kind == .bars }) { ys.append(0) }
        let xScale = PlotScale(values: xs, range: plot.x.range, unit: plot.x.unit, count: 6)
        let yScale = PlotScale(values: ys, range: plot.y.range, unit: plot.y.unit, count: min(6, height / 2 + 1))
        let yLabels = yScale.ticks.map(yScale.label)
        let gutter = (yLabels.map { DisplayWidth.of($0) }.max() ?? 1) + 1
        let columns = width - gutter - 2
        let rows = height
        var grid = [[Cell]](repeating: [Cell](repeating: Cell(), count: columns), count: rows)

        func column(_ x: Double) -> Double { xScale.position(x) * Double(columns * 2 - 1) }
        func row(_ y: Double) -> Double { (1 - yScale.position(y)) * Double(rows * 4 - 1) }
        func inside(_ c: Int, _ r: Int) -> Bool { c >= 0 && c < columns && r >= 0 && r < rows }

        // Guides first, so data draws over them.
        for guide in plot.verticalGuides {
            let c = Int((column(guide.value) / 2).rounded(.down))
            for r in 0..<rows where inside(c, r) { grid[r][c].guide = true; grid[r][c].text = "┊" }
        }
        for guide in plot.horizontalGuides {
            let r = Int((row(guide.value) / 4).rounded(.down))
            for c in 0..<columns where inside(c, r) && grid[r][c].text == nil { grid[r][c].guide = true; grid[r][c].text = "┈" }
        }

        let bits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        func dot(_ dx: Int, _ dy: Int, _ owner: Int) {
            let (c, r) = (dx / 2, dy / 4)
            guard inside(c, r), dx >= 0, dy >= 0 else { return }
            grid[r][c].dots |= bits[dy % 4][dx % 2]
            grid[r][c].owner = owner
            if grid[r][c].guide { grid[r][c].text = nil; grid[r][c].guide = false }
        }

        for (index, series) in plot.series.enumerated() {
            let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            switch series.kind {
            case .line:
                for (a, b) in zip(points, points.dropFirst()) {
                    let (x0, y0) = (Int(column(a.x).rounded()), Int(row(a.y).rounded()))
                    let (x1, y1) = (Int(column(b.x).rounded()), Int(row(b.y).rounded()))
                    let steps = max(abs(x1 - x0), abs(y1 - y0), 1)
                    for step in 0...steps {
                        let t = Double(step) / Double(steps)
                        dot(Int((Double(x0) + t * Double(x1 - x0)).rounded()), Int((Double(y0) + t * Double(y1 - y0)).rounded()), index)
                    }
                }
                if points.count == 1 { dot(Int(column(points[0].x).rounded()), Int(row(points[0].y).rounded()), index) }
            case .points:
                break
            case .bars:
                let partials: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]
                let zero = (1 - yScale.position(0)) * Double(rows)
                // Each bar spans the cells up to the next bar, so the bars fill the axis.
                let xs = points.map(\.x).sorted()
                let spacing = zip(xs, xs.dropFirst()).map { $1 - $0 }.filter { $0 > 0 }.min() ?? 0
                for point in points where point.y > 0 {
                    let first = Int((column(point.x - spacing / 2) / 2).rounded(.up))
                    let last = max(first, Int((column(point.x + spacing / 2) / 2).rounded(.up)) - 1)
                    let top = (1 - yScale.position(point.y)) * Double(rows)
                    let eighths = Int(((zero - top) * 8).rounded())
                    guard eighths > 0 else { continue }
                    for c in first...last {
                        for level in 0..<((eighths + 7) / 8) {
                            let r = Int(zero.rounded()) - 1 - level
                            guard inside(c, r) else { continue }
                            let filled = min(8, eighths - level * 8)
                            grid[r][c].text = filled >= 8 ? "█" : partials[filled - 1]
                            grid[r][c].owner = index
                            grid[r][c].guide = false
                        }
                    }
                }
            }
        }
        // Markers over the lines: every point when there is room, else evenly spaced ones.
        for (index, series) in plot.series.enumerated() where series.kind != .bars {
            let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            let every = max(1, (points.count * 3 + columns - 1) / max(1, columns))
            for (i, point) in points.enumerated() where i % every == 0 || i == points.count - 1 {
                let c = Int((column(point.x) / 2).rounded(.down)), r = Int((row(point.y) / 4).rounded(.down))
                guard inside(c, r) else { continue }
                grid[r][c].text = Character(series.marker.rawValue)
                grid[r][c].owner = index
                grid[r][c].guide = false
            }
        }
        // Labels beside their points: right, left, then above or below, over line dots but
        // never over a marker, a guide or another label.
        for series in plot.series {
            for point in series.points {
                guard let label = point.label, point.x.isFinite, point.y.isFinite else { continue }
                let c = Int((column(point.x) / 2).rounded(.down)), r = Int((row(point.y) / 4).rounded(.down))
                let text = Array(label)
                let free = { (row: Int, start: Int) in
                    row >= 0 && row < rows && start >= 0 && start + text.count <= columns
                        && (start..<(start + text.count)).allSatisfy { grid[row][$0].text == nil }
                }
                let places = [(r, c + 2), (r, c - 1 - text.count), (r - 1, c - text.count / 2), (r + 1, c - text.count / 2)]
                guard let (labelRow, start) = places.first(where: { free($0.0, $0.1) }) else { continue }
                for (offset, character) in text.enumerated() {
                    grid[labelRow][start + offset].text = character
                    grid[labelRow][start + offset].owner = nil
                    grid[labelRow][start + offset].dots = 0
                }
            }
        }

        // The y axis: each tick on the row nearest its value.
        var tickRows: [Int: String] = [:]
        for (tick, label) in zip(yScale.ticks, yLabels) {
            let r = Int(((1 - (tick - yScale.lower) / (yScale.upper - yScale.lower)) * Double(rows - 1)).rounded())
            if tickRows[r] == nil { tickRows[r] = label }
        }
        var lines: [String] = [style(plot.title, .bold)]
        if !plot.y.label.isEmpty { lines.append(style(plot.y.label, .dim)) }
        for r in 0..<rows {
            var line = DisplayWidth.padLeft(tickRows[r] ?? "", to: gutter - 1) + " " + (tickRows[r] == nil ? "│" : "┤")
            for cell in grid[r] {
                if let text = cell.text {
                    let shown = String(text)
                    if cell.guide { line += style(shown, .dim) }
                    else if let owner = cell.owner { line += style(shown, Self.palette[owner % Self.palette.count]) }
                    else { line += shown }
                } else if cell.dots != 0, let owner = cell.owner {
                    line += style(String(Character(Unicode.Scalar(0x2800 + UInt32(cell.dots))!)), Self.palette[owner % Self.palette.count])
                } else {
                    line += " "
                }
            }
            lines.append(Self.trimmed(line))
        }
        // The x axis, its ticks and their labels (a label that would touch the previous one is left out).
        var axis = Array(String(repeating: "─", count: columns))
        var labels = Array(String(repeating: " ", count: columns + gutter + 1))
        var lastEnd = -2
        for tick in xScale.ticks {
            let c = Int(((tick - xScale.lower) / (xScale.upper - xScale.lower) * Double(columns * 2 - 1) / 2).rounded(.down))
            guard c >= 0, c < columns else { continue }
            axis[c] = "┬"
            let text = Array(xScale.label(tick))
            let start = min(max(0, gutter + 1 + c - text.count / 2), labels.count - text.count)
            guard start > lastEnd + 1, start >= 0 else { continue }
            for (offset, character) in text.enumerated() { labels[start + offset] = character }
            lastEnd = start + text.count - 1
        }
        lines.append(String(repeating: " ", count: gutter) + (tickRows[rows - 1] == nil ? "└" : "┼") + String(axis))
        lines.append(Self.trimmed(String(labels)))
        if !plot.x.label.isEmpty {
            lines.append(DisplayWidth.padLeft(plot.x.label, to: gutter + 1 + columns))
        }
        // The legend: marker and name of each series, then the guides.
        var entries = plot.series.enumerated().map { index, series in
            style(series.kind == .bars ? "█" : series.marker.rawValue, Self.palette[index % Self.palette.count]) + " " + series.name
        }
        entries += plot.verticalGuides.map { style("┊", .dim) + " " + $0.label }
        entries += plot.horizontalGuides.map { style("┈", .dim) + " " + $0.label }
        if entries.count > 1 {
            var current = ""
            for entry in entries {
                if current.isEmpty {
                    current = entry
                } else if DisplayWidth.of(current) + 3 + DisplayWidth.of(entry) <= width {
                    current += "   " + entry
                } else {
                    lines.append(current)
                    current = entry
                }
            }
            // A single entry wider than the chart wraps under itself.
            if !current.isEmpty { lines += DisplayWidth.of(current) > width ? TextWrapping.wrap(current, width: width, hanging: "  ") : [current] }
        }
        if let note = plot.note { lines += TextWrapping.wrap(note, width: width).map { style($0, .dim) } }
        return lines
    }

    static func trimmed(_ line: String) -> String {
        String(line.reversed().drop { $0 == " " }.reversed())
    }
}
