import SlimKernels

/// Rearranging loops the layers need around their kernels.
enum LayerMath {
    /// [outer, inner, block] → [inner, outer, block]: swaps the two leading axes of a tensor
    /// whose trailing `block` elements stay contiguous (a convolution's [out, batch, pixels]
    /// GEMM result to NCHW [batch, out, pixels], and back for the gradient).
    static func swapLeadingAxes(_ source: UnsafePointer<Float>, outer: Int, inner: Int, block: Int,
                                into target: UnsafeMutablePointer<Float>) {
        for o in 0..<outer {
            for i in 0..<inner {
                (target + (i * outer + o) * block).update(from: source + (o * inner + i) * block, count: block)
            }
        }
    }
}
