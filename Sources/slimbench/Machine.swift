import Foundation
import SlimKernels

/// What the numbers were measured on, for the header: CPU model, cores, vector features, build.
struct Machine {
    var cpuModel: String
    var cores: Int
    var features: String
    /// The `kernels: …` line: which path each kernel runs.
    var build: String

    static func current() -> Machine {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        /// The value of the first `name : value` line (keys compared whole: `model` is not
        /// `model name`).
        func field(_ name: String) -> String? {
            for line in info.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2 && parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
        var model = field("model name") ?? "unknown CPU"
        // Virtual machines often name only the brand ("AMD EPYC"); the family and model number
        // tell the generation (AMD family 25 is Zen 3 and Zen 4, 26 is Zen 5).
        if let family = field("cpu family"), let number = field("model") { model += " (family \(family), model \(number))" }
        let cpu = CPUFeatures.current
        let features = [cpu.hasAVX2 ? "AVX2+FMA" : nil, cpu.hasAVXVNNI ? "AVX-VNNI" : nil,
                        cpu.hasAVX512 ? "AVX-512" : nil, cpu.hasAVX512VNNI ? "VNNI" : nil].compactMap { $0 }
        let build = kernelDescription(threads: ComputePool.availableCores)
        return Machine(cpuModel: model, cores: ComputePool.availableCores,
                       features: features.isEmpty ? "no AVX2" : features.joined(separator: " + "),
                       build: build)
    }
}
