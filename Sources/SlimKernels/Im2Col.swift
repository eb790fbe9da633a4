/// The shape of a 2-D convolution or pooling window over one NCHW image: input channels and
/// size, kernel size, stride and zero padding. Output size follows PyTorch:
/// `out = ⌊(in + 2·padding − kernel) / stride⌋ + 1`.
public struct ConvolutionGeometry: Sendable, Equatable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY: Int
    public var strideX: Int
    public var paddingY: Int
    public var paddingX: Int

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int = 1, padding: Int = 0) {
        self.init(channels: channels, height: height, width: width, kernelHeight: kernelHeight,
                  kernelWidth: kernelWidth, strideY: stride, strideX: stride,
                  paddingY: padding, paddingX: padding)
    }

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                strideY: Int, strideX: Int, paddingY: Int, paddingX: Int) {
        precondition(channels >= 0 && height >= 0 && width >= 0,
                     "ConvolutionGeometry: negative input size \(channels)×\(height)×\(width)")
        precondition(kernelHeight >= 1 && kernelWidth >= 1,
                     "ConvolutionGeometry: kernel \(kernelHeight)×\(kernelWidth) must be at least 1×1")
        precondition(strideY >= 1 && strideX >= 1, "ConvolutionGeometry: stride \(strideY)×\(strideX) must be ≥ 1")
        precondition(paddingY >= 0 && paddingX >= 0, "ConvolutionGeometry: padding \(paddingY)×\(paddingX) must be ≥ 0")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.paddingY = paddingY
        self.paddingX = paddingX
    }

    /// Output rows; 0 when the padded input is smaller than the kernel.
    public var outputHeight: Int {
        let span = height + 2 * paddingY - kernelHeight
        return span < 0 ? 0 : span / strideY + 1
    }
    /// Output columns; 0 when the padded input is smaller than the kernel.
    public var outputWidth: Int {
        let span = width + 2 * paddingX - kernelWidth
        return span < 0 ? 0 : span / strideX + 1
    }
    /// Rows of the column matrix: `channels · kernelHeight · kernelWidth`, one per weight of a filter.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Columns of the column matrix for one image: `outputHeight · outputWidth`.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// Elements of one input image: `channels · height · width`.
    public var imageSize: Int { channels * height * width }
}

/// Unfolds one `C×H×W` image into the `patchSize × outputPixels` column matrix, so that a
/// convolution becomes one GEMM: `Y[outC, pixels] = W[outC, patchSize] · columns`.
///
/// Row `(c·kh + ky)·kw + kx` holds input `(c, oy·sy − py + ky, ox·sx − px + kx)` at column
/// `oy·outputWidth + ox` (zero where that falls in the padding). Rows are `ldColumns` apart,
/// so a batch can be laid side by side: image `n` at `columns + n·outputPixels`, with
/// `ldColumns = N·outputPixels`.
public func im2col(
    _ image: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
    columns: UnsafeMutablePointer<Float>, ldColumns: Int
) {
    let oh = g.outputHeight, ow = g.outputWidth
    precondition(ldColumns >= oh * ow, "im2col: ldColumns \(ldColumns) < \(oh * ow) output pixels")
    for c in 0..<g.channels {
        let plane = image + c * g.height * g.width
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * ldColumns
                for oy in 0..<oh {
                    let iy = oy * g.strideY - g.paddingY + ky
                    let out = row + oy * ow
                    if iy < 0 || iy >= g.height {
                        out.initialize(repeating: 0, count: ow)
                        continue
                    }
                    let line = plane + iy * g.width
                    // Output columns whose input column ix = ox·sx − px + kx lies inside the image.
                    let (first, last) = validRange(g, kx, ow)
                    for ox in 0..<first { out[ox] = 0 }
                    if g.strideX == 1 {
                        if last > first {
                            (out + first).update(from: line + (first - g.paddingX + kx), count: last - first)
                        }
                    } else {
                        for ox in first..<last { out[ox] = line[ox * g.strideX - g.paddingX + kx] }
                    }
                    for ox in max(first, last)..<ow { out[ox] = 0 }
                }
            }
        }
    }
}

/// The output columns `first ..< last` whose input column `ox·sx − px + kx` is inside the
/// image (empty when none is).
@inline(__always)
func validRange(_ g: ConvolutionGeometry, _ kx: Int, _ ow: Int) -> (Int, Int) {
    // ox·sx ≥ px − kx  and  ox·sx ≤ width − 1 + px − kx.
    let low = g.paddingX - kx, high = g.width - 1 + g.paddingX - kx
    let first = low <= 0 ? 0 : (low + g.strideX - 1) / g.strideX
    let last = high < 0 ? 0 : min(ow, high / g.strideX + 1)
    return (min(first, ow), last)
}

/// The adjoint of `im2col`, for the convolution's input gradient: sums every column-matrix
/// entry back onto the image element it was copied from. `image` (`C×H×W`) is overwritten.
public func col2im(
    _ columns: UnsafePointer<Float>, ldColumns: Int, geometry g: ConvolutionGeometry,
    image: UnsafeMutablePointer<Float>
) {
    let oh = g.outputHeight, ow = g.outputWidth
    precondition(ldColumns >= oh * ow, "col2im: ldColumns \(ldColumns) < \(oh * ow) output pixels")
    image.initialize(repeating: 0, count: g.imageSize)
    for c in 0..<g.channels {
        let plane = image + c * g.height * g.width
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * ldColumns
                for oy in 0..<oh {
                    let iy = oy * g.strideY - g.paddingY + ky
                    if iy < 0 || iy >= g.height { continue }
                    let line = plane + iy * g.width
                    let source = row + oy * ow
                    let (first, last) = validRange(g, kx, ow)
                    for ox in first..<last { line[ox * g.strideX - g.paddingX + kx] += source[ox] }
                }
            }
        }
    }
}

/// The readable definition of `im2col`: one output element at a time.
public func im2colReference(
    _ image: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
    columns: UnsafeMutablePointer<Float>, ldColumns: Int
) {
    for row in 0..<g.patchSize {
        let c = row / (g.kernelHeight * g.kernelWidth)
        let ky = row / g.kernelWidth % g.kernelHeight, kx = row % g.kernelWidth
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                let iy = oy * g.strideY - g.paddingY + ky, ix = ox * g.strideX - g.paddingX + kx
                let inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width
                columns[row * ldColumns + oy * g.outputWidth + ox] =
                    inside ? image[(c * g.height + iy) * g.width + ix] : 0
            }
        }
    }
}

/// The readable definition of `col2im`.
public func col2imReference(
    _ columns: UnsafePointer<Float>, ldColumns: Int, geometry g: ConvolutionGeometry,
    image: UnsafeMutablePointer<Float>
) {
    for i in 0..<g.imageSize { image[i] = 0 }
    for row in 0..<g.patchSize {
        let c = row / (g.kernelHeight * g.kernelWidth)
        let ky = row / g.kernelWidth % g.kernelHeight, kx = row % g.kernelWidth
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                let iy = oy * g.strideY - g.paddingY + ky, ix = ox * g.strideX - g.paddingX + kx
                if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
                    image[(c * g.height + iy) * g.width + ix] += columns[row * ldColumns + oy * g.outputWidth + ox]
                }
            }
        }
    }
}

extension Tensor where Element == Float {
    /// The column matrix of this `[N, C, H, W]` batch: shape `[patchSize, N·outputPixels]`,
    /// image `n` in columns `n·outputPixels ..< (n+1)·outputPixels`.
    public func im2col(_ geometry: ConvolutionGeometry) -> Tensor<Float> {
        precondition(rank == 4 && Array(shape[1...]) == [geometry.channels, geometry.height, geometry.width],
                     "im2col: input shape \(shape) does not match [N, \(geometry.channels), \(geometry.height), \(geometry.width)]")
        let batch = shape[0], pixels = geometry.outputPixels
        return Tensor(shape: [geometry.patchSize, batch * pixels]) { columns in
            withUnsafeBufferPointer { x in
                for n in 0..<batch {
                    SlimKernels.im2col(x.baseAddress! + n * geometry.imageSize, geometry: geometry,
                                       columns: columns.baseAddress! + n * pixels, ldColumns: batch * pixels)
                }
            }
        }
    }

    /// The `[N, C, H, W]` image gradient from this `[patchSize, N·outputPixels]` column gradient.
    public func col2im(_ geometry: ConvolutionGeometry, batch: Int) -> Tensor<Float> {
        let pixels = geometry.outputPixels
        precondition(shape == [geometry.patchSize, batch * pixels],
                     "col2im: column shape \(shape) does not match [\(geometry.patchSize), \(batch * pixels)]")
        return Tensor(shape: [batch, geometry.channels, geometry.height, geometry.width]) { image in
            withUnsafeBufferPointer { columns in
                for n in 0..<batch {
                    SlimKernels.col2im(columns.baseAddress! + n * pixels, ldColumns: batch * pixels,
                                       geometry: geometry, image: image.baseAddress! + n * geometry.imageSize)
                }
            }
        }
    }
}
