import SlimKernels
import SlimLab

print("slimbench: SlimLab \(slimLabVersion)")
