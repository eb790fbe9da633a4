/// The two networks of the compression literature's MNIST experiments (Han, Mao & Dally,
/// Deep Compression, ICLR 2016, Table 1), for 28×28 images such as Fashion-MNIST.
extension ModelArchitecture {
    /// LeNet-300-100: Dense 784 → 300 → 100 → 10 with ReLU between, 266,610 parameters
    /// (1070 KB in fp32, the paper's figure). `inputs` and `classes` adapt it to other data.
    public static func lenet300(inputs: Int = 784, classes: Int = 10) -> ModelArchitecture {
        mlp(sizes: [inputs, 300, 100, classes])
    }

    /// The LeNet-5 of Caffe's MNIST example, which Deep Compression compresses: conv 5×5 ·20 →
    /// ReLU → max-pool 2 → conv 5×5 ·50 → ReLU → max-pool 2 → Dense 500 → ReLU → Dense to the
    /// classes. For 1×28×28: 20×24×24 → 20×12×12 → 50×8×8 → 50×4×4 → 800 → 500 → 10, 431,080
    /// parameters (1720 KB in fp32; ReLU where the 1998 LeNet had tanh, max- for average-pooling).
    public static func lenet5(inputShape: [Int] = [1, 28, 28], classes: Int = 10) -> ModelArchitecture {
        precondition(inputShape.count == 3, "lenet5: input shape \(inputShape) is not [channels, height, width]")
        let side = { (n: Int) in ((n - 4) / 2 - 4) / 2 }
        let flattened = 50 * side(inputShape[1]) * side(inputShape[2])
        return ModelArchitecture(inputShape: inputShape, layers: convolutionBlocks(channels: inputShape[0], filters: (20, 50),
                                                                                    kernel: 5, padding: 0) + [
            LayerDescription(kind: Dense.kind, name: "fc1", attributes: [
                "in": String(flattened), "out": "500", "init": WeightInitialization.heNormal.rawValue]),
            LayerDescription(kind: ReLU.kind, name: "relu3"),
            LayerDescription(kind: Dense.kind, name: "fc2", attributes: [
                "in": "500", "out": String(classes), "init": WeightInitialization.xavierUniform.rawValue]),
        ])
    }

    /// Whether this is the LeNet-5 preset (for its short name).
    var isLeNet5: Bool {
        guard inputShape.count == 3, inputShape[1] >= 16, inputShape[2] >= 16,
              let classes = layers.last?.attributes["out"].flatMap(Int.init) else { return false }
        return self == Self.lenet5(inputShape: inputShape, classes: classes)
    }
}
