#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MLicenseCLI

#if canImport(Glibc)
// glibc's heaps grow by what each allocation needs and give memory back as soon as a little is
// free: a 5,000-model check made about 3,300 mprotect and 280 brk calls to do so, about 8 of its
// 58 ms of system time (Benchmarks/HISTORY.md, fifth round). A run is short, so the heaps grow
// 32 MB at a time and keep what they have; untouched pages of that reserve are never resident.
// (Glibc's module leaves out <malloc.h>; the call and its two parameters are declared here.)
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
let mallocTrimThreshold: Int32 = -1, mallocTopPad: Int32 = -2  // M_TRIM_THRESHOLD, M_TOP_PAD
_ = mallopt(mallocTopPad, 32 << 20)
_ = mallopt(mallocTrimThreshold, 256 << 20)
#endif

exit(CLI.main(Array(CommandLine.arguments.dropFirst())))
