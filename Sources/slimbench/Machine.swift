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
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let cpu = CPUFeatures.current
        let features = [cpu.hasAVX2 ? "AVX2+FMA" : nil, cpu.hasAVXVNNI ? "AVX-VNNI" : nil,
                        cpu.hasAVX512 ? "AVX-512" : nil, cpu.hasAVX512VNNI ? "VNNI" : nil].compactMap { $0 }
        let build = kernelDescription(threads: ComputePool.availableCores)
        return Machine(cpuModel: model, cores: ComputePool.availableCores,
                       features: features.isEmpty ? "no AVX2" : features.joined(separator: " + "),
                       build: build)
    }
}
