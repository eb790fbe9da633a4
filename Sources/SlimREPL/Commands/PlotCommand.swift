import Foundation
import SlimLab

/// `plot training|sensitivity|compare|calibration|activations|mask|bits`: the pictures a
/// lesson is about, as text charts with axes and a legend, and as SVG files for slides.
enum PlotCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        name: "plot", topic: .inspection,
        summary: "draw a chart: training curves, sensitivity, size vs accuracy, calibration, activations, masks, bits",
        discussion: """
            Charts are drawn in braille dots and block characters, with axes, ticks and a legend; \
            every series has its own marker (● ○ ■ …), so they read without colors too. Each plot \
            also takes svg=PATH, which writes the same chart as a standalone SVG file for slides.
            """,
        subcommands: [PlotTrainingCommand.self, PlotSensitivityCommand.self, PlotCompareCommand.self,
                      PlotCalibrationCommand.self, PlotActivationsCommand.self, PlotMaskCommand.self,
                      PlotBitsCommand.self],
        examples: ["plot training", "plot compare x=bytes y=accuracy", "plot mask fc1.weight pruned-80 svg=mask.svg"])

    /// `svg=PATH`, which every plot takes.
    static let svg = Option<String>("svg", kind: .name([.path]),
                                    summary: "also write the chart to PATH as a standalone SVG file (for slides)")

    /// `[VARIANT]`, the model most plots are about.
    static let variant = Positional<String>("VARIANT", arity: .optional, defaultDescription: "the current model",
                                            kind: .name([.variant]), summary: "the model to plot")
}

extension CommandContext {
    /// Prints `plots` one under the other, `heights` rows each, and writes them to `svg` as one
    /// SVG document when a path is given (atomically: a temporary file, then a rename).
    func show(_ plots: [Plot], heights: [Int], svg path: String?) throws {
        for (index, plot) in plots.enumerated() {
            if index > 0 { print() }
            let height = index < heights.count ? heights[index] : heights.last ?? 10
            print(lines: PlotText(width: width, height: height, style: style).render(plot))
        }
        if let path { try writeSVG(PlotSVG.document(plots), to: path) }
    }

    /// Writes an SVG document atomically and says where.
    func writeSVG(_ document: String, to path: String) throws {
        try AtomicFile.write(document, to: URL(fileURLWithPath: path))
        print("wrote \(path) (SVG, \(NumberFormatting.bytes(document.utf8.count)))")
    }
}
