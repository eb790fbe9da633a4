import Foundation
import SlimKernels

/// What the numbers were measured on, for the header: CPU model, cores, vector features, build.
struct Machine {
    var cpuModel: String
    var cores: Int
    var features: String
    var build: String

    static func current() -> Machine {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let cpu = CPUFeatures.current
        let features = [cpu.hasAVX512 ? "AVX-512" : nil, cpu.hasAVX512VNNI ? "VNNI" : nil].compactMap { $0 }
        #if SLIMLAB_PORTABLE
        let build = "portable (SLIMLAB_PORTABLE)"
        #else
        let build = "native (-target-cpu native)"
        #endif
        return Machine(cpuModel: model, cores: ComputePool.availableCores,
                       features: features.isEmpty ? "no AVX-512" : features.joined(separator: " + "),
                       build: build)
    }
}
