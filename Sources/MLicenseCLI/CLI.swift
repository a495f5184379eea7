import MLicenseCore

/// The command-line entry point.
public enum CLI {
    /// Runs the command line and returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        0
    }
}
