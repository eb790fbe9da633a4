/// Writes a `Plot` or a `MaskMap` as a standalone SVG document (for slides): axes, ticks,
/// grid lines, series with their markers, guides, a legend. No scripts, no external fonts.
public enum PlotSVG {
    /// Series colors, in turn (the text chart's order).
    static let palette = ["#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd"]

    static let canvasWidth = 760.0, canvasHeight = 460.0
    static let left = 80.0, right = 30.0, top = 48.0, bottom = 100.0

    /// One plot, or several stacked one under the other (`plot training`: loss, then accuracy).
    public static func document(_ plots: [Plot]) -> String {
        var body: [String] = []
        for (index, plot) in plots.enumerated() {
            body.append("<g transform=\"translate(0 \(f(Double(index) * canvasHeight)))\">")
            body += self.body(plot)
            body.append("</g>")
        }
        return wrap(body, width: canvasWidth, height: canvasHeight * Double(max(1, plots.count)),
                    title: plots.map(\.title).joined(separator: " · "))
    }

    static func body(_ plot: Plot) -> [String] {
        let xs = plot.series.flatMap { $0.points.map(\.x) } + plot.verticalGuides.map(\.value)
        var ys = plot.series.flatMap { $0.points.map(\.y) } + plot.horizontalGuides.map(\.value)
        if plot.series.contains(where: { $0.kind == .bars }) { ys.append(0) }
        let xScale = PlotScale(values: xs, range: plot.x.range, unit: plot.x.unit, count: 6)
        let yScale = PlotScale(values: ys, range: plot.y.range, unit: plot.y.unit, count: 6)
        let plotWidth = canvasWidth - left - right, plotHeight = canvasHeight - top - bottom
        func x(_ raw: Double) -> Double { left + xScale.position(raw) * plotWidth }
        func y(_ raw: Double) -> Double { top + (1 - yScale.position(raw)) * plotHeight }
        func xTick(_ t: Double) -> Double { left + (t - xScale.lower) / (xScale.upper - xScale.lower) * plotWidth }
        func yTick(_ t: Double) -> Double { top + (1 - (t - yScale.lower) / (yScale.upper - yScale.lower)) * plotHeight }

        var body: [String] = []
        body += title(plot.title, width: canvasWidth)
        // Grid and ticks.
        for tick in yScale.ticks {
            let ty = yTick(tick)
            body.append(line(left, ty, left + plotWidth, ty, stroke: "#e5e5e5"))
            body.append(text(left - 8, ty + 4, yScale.label(tick), anchor: "end"))
        }
        for tick in xScale.ticks {
            let tx = xTick(tick)
            body.append(line(tx, top, tx, top + plotHeight, stroke: "#e5e5e5"))
            body.append(text(tx, top + plotHeight + 18, xScale.label(tick), anchor: "middle"))
        }
        body.append(line(left, top + plotHeight, left + plotWidth, top + plotHeight, stroke: "#333"))
        body.append(line(left, top, left, top + plotHeight, stroke: "#333"))
        body.append(text(left + plotWidth / 2, top + plotHeight + 40, plot.x.label, anchor: "middle"))
        body.append("<text x=\"18\" y=\"\(f(top + plotHeight / 2))\" font-size=\"13\" text-anchor=\"middle\" "
                    + "transform=\"rotate(-90 18 \(f(top + plotHeight / 2)))\">\(escape(plot.y.label))</text>")
        // Guides.
        for guide in plot.verticalGuides {
            body.append(line(x(guide.value), top, x(guide.value), top + plotHeight, stroke: "#777", dashed: true))
        }
        for guide in plot.horizontalGuides {
            body.append(line(left, y(guide.value), left + plotWidth, y(guide.value), stroke: "#777", dashed: true))
        }
        // Series.
        for (index, series) in plot.series.enumerated() {
            let color = palette[index % palette.count]
            let points = series.points.filter { $0.x.isFinite && $0.y.isFinite }
            switch series.kind {
            case .bars:
                let sorted = points.map(\.x).sorted()
                let gap = zip(sorted, sorted.dropFirst()).map { $1 - $0 }.min() ?? 1
                let barWidth = max(1, abs(x(gap) - x(0)) * 0.9)
                for point in points where point.y > 0 {
                    body.append("<rect x=\"\(f(x(point.x) - barWidth / 2))\" y=\"\(f(y(point.y)))\" width=\"\(f(barWidth))\" "
                                + "height=\"\(f(y(0) - y(point.y)))\" fill=\"\(color)\" fill-opacity=\"0.8\"/>")
                }
            case .line:
                let path = points.map { "\(f(x($0.x))),\(f(y($0.y)))" }.joined(separator: " ")
                body.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>")
                fallthrough
            case .points:
                // At most about 60 markers, evenly spaced, so a long curve stays a small file.
                let every = max(1, (points.count + 59) / 60)
                for (i, point) in points.enumerated() where i % every == 0 || i == points.count - 1 {
                    body.append(marker(series.marker, x(point.x), y(point.y), color: color))
                }
            }
            for point in points {
                guard let label = point.label else { continue }
                body.append(text(x(point.x) + 8, y(point.y) - 8, label, size: 11))
            }
        }
        // Legend under the axis label.
        var legendX = left
        let legendY = canvasHeight - 30
        for (index, series) in plot.series.enumerated() {
            let color = palette[index % palette.count]
            if series.kind == .bars {
                body.append("<rect x=\"\(f(legendX))\" y=\"\(f(legendY - 10))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>")
            } else {
                body.append(marker(series.marker, legendX + 6, legendY - 4, color: color))
            }
            body.append(text(legendX + 18, legendY, series.name))
            legendX += 30 + Double(series.name.count) * 7.5
        }
        for guide in plot.verticalGuides + plot.horizontalGuides {
            body.append(line(legendX, legendY - 4, legendX + 14, legendY - 4, stroke: "#777", dashed: true))
            body.append(text(legendX + 20, legendY, guide.label))
            legendX += 34 + Double(guide.label.count) * 7.5
        }
        if let note = plot.note { body.append(text(left, canvasHeight - 10, note, size: 11, fill: "#666")) }
        return body
    }

    public static func document(_ map: MaskMap) -> String {
        let cell = max(1, min(8, min(600 / Double(map.columns), 340 / Double(map.rows))))
        let width = max(640, left + Double(map.columns) * cell + right), height = top + Double(map.rows) * cell + 70
        var body = title(map.title + " — \(NumberFormatting.grouped(map.keptCount)) of "
                         + "\(NumberFormatting.grouped(map.kept.count)) kept", width: width)
        body.append("<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(Double(map.columns) * cell))\" "
                    + "height=\"\(f(Double(map.rows) * cell))\" fill=\"#f2f2f2\" stroke=\"#333\"/>")
        for r in 0..<map.rows {
            // One rect per run of kept weights in a row keeps the file small.
            var c = 0
            while c < map.columns {
                guard map.kept[r * map.columns + c] else { c += 1; continue }
                let start = c
                while c < map.columns, map.kept[r * map.columns + c] { c += 1 }
                body.append("<rect x=\"\(f(left + Double(start) * cell))\" y=\"\(f(top + Double(r) * cell))\" "
                            + "width=\"\(f(Double(c - start) * cell))\" height=\"\(f(cell))\" fill=\"\(palette[0])\"/>")
            }
        }
        body.append(text(left, top + Double(map.rows) * cell + 20, "\(map.columnLabel) 0…\(map.columns - 1) →  ·  "
                         + "\(map.rowLabel) 0…\(map.rows - 1) ↓  ·  blue: kept, grey: pruned"))
        return wrap(body, width: width, height: height, title: map.title)
    }

    // MARK: Pieces

    static func wrap(_ body: [String], width: Double, height: Double, title: String) -> String {
        (["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"13\">",
          "<title>\(escape(title))</title>",
          "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"] + body + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    static func marker(_ marker: Plot.Marker, _ x: Double, _ y: Double, color: String) -> String {
        let (cx, cy) = (f(x), f(y))
        switch marker {
        case .dot: return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\" fill=\"\(color)\"/>"
        case .circle: return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"4\" fill=\"white\" stroke=\"\(color)\" stroke-width=\"2\"/>"
        case .square: return "<rect x=\"\(f(x - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" fill=\"\(color)\"/>"
        case .diamond:
            return "<polygon points=\"\(cx),\(f(y - 5)) \(f(x + 5)),\(cy) \(cx),\(f(y + 5)) \(f(x - 5)),\(cy)\" fill=\"\(color)\"/>"
        case .triangle:
            return "<polygon points=\"\(cx),\(f(y - 5)) \(f(x + 5)),\(f(y + 4)) \(f(x - 5)),\(f(y + 4))\" fill=\"\(color)\"/>"
        case .cross:
            return "<path d=\"M\(f(x - 4)),\(f(y - 4))L\(f(x + 4)),\(f(y + 4))M\(f(x + 4)),\(f(y - 4))L\(f(x - 4)),\(f(y + 4))\" "
                + "stroke=\"\(color)\" stroke-width=\"2\"/>"
        case .plus:
            return "<path d=\"M\(f(x - 5)),\(cy)L\(f(x + 5)),\(cy)M\(cx),\(f(y - 5))L\(cx),\(f(y + 5))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
        case .star:
            return "<text x=\"\(cx)\" y=\"\(f(y + 5))\" text-anchor=\"middle\" font-size=\"14\" fill=\"\(color)\">✱</text>"
        }
    }

    /// The chart's title above the plot area: one line at 18 px when it fits the canvas, else
    /// wrapped at word boundaries into at most two lines at 15 px (the rest cut with "…"), so
    /// no title runs off the edge of a slide. Widths are estimated from the font size (a
    /// bold sans glyph is about 0.62 em wide on average), since an SVG cannot measure text.
    static func title(_ title: String, width: Double) -> [String] {
        let room = width - left - right
        func fits(_ text: String, _ size: Double) -> Bool { Double(text.count) * size * 0.62 <= room }
        if fits(title, 18) { return [text(left, 28, title, size: 18, weight: "bold")] }
        let perLine = max(10, Int(room / (15 * 0.62)))
        var lines = TextWrapping.wrap(title, width: perLine)
        if lines.count > 2 {
            lines = [lines[0], String(lines[1...].joined(separator: " ").prefix(perLine - 1)) + "…"]
        }
        return lines.enumerated().map { index, line in
            text(left, 20 + Double(index) * 18, line, size: 15, weight: "bold")
        }
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, dashed: Bool = false) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\""
            + (dashed ? " stroke-dasharray=\"5 4\" stroke-width=\"1.5\"" : "") + "/>"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, size: Int = 13, weight: String? = nil,
                     anchor: String? = nil, fill: String? = nil) -> String {
        var attributes = "x=\"\(f(x))\" y=\"\(f(y))\""
        if size != 13 { attributes += " font-size=\"\(size)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let anchor { attributes += " text-anchor=\"\(anchor)\"" }
        if let fill { attributes += " fill=\"\(fill)\"" }
        return "<text \(attributes)>\(escape(content))</text>"
    }

    /// A coordinate with one decimal, as SVG reads it.
    static func f(_ value: Double) -> String { NumberFormatting.fixed(value, digits: 1) }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
