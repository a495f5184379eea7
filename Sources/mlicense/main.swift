#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLicenseCLI

exit(CLI.main(Array(CommandLine.arguments.dropFirst())))
