/// Which kernels a model's inference runs on, for the speed columns of `compare`.
extension Model {
    /// The distinct kernels of the Dense layers in order (`fp32 GEMM`, `csr`,
    /// `int8 channel (int8 GEMM)`), joined by `+`; a model on its own engine names the engine.
    public var kernelPaths: String {
        if let engine = inferenceEngine { return engine.label }
        var labels: [String] = []
        for layer in layers {
            guard let dense = layer as? Dense else { continue }
            let label = dense.inferenceKernel?.label ?? "fp32 GEMM"
            if !labels.contains(label) { labels.append(label) }
        }
        return labels.isEmpty ? "fp32" : labels.joined(separator: " + ")
    }
}
