internal import CGit2
import MLicenseCore

/// A git repository opened through libgit2.
public final class Repository {
}
