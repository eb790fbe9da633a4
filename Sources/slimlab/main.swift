import SlimREPL

#if canImport(Glibc)
import Glibc
#endif

exit(REPL.main(arguments: Array(CommandLine.arguments.dropFirst())))
