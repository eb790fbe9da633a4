/// The version of SlimLab, printed by `slimlab --version`.
public let slimLabVersion = "0.1.0"
