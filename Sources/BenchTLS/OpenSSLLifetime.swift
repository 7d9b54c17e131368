import COpenSSLLifetime

/// How long OpenSSL's process-wide state lives: until the process ends, not until the exit handlers run.
///
/// A load-time constructor in the `COpenSSLLifetime` C target makes the first OpenSSL initialization of every
/// process that links BenchTLS, with `OPENSSL_INIT_NO_ATEXIT`, so OpenSSL never frees its state in an `atexit`
/// handler while an event loop thread may still be inside a TLS call. See `Sources/COpenSSLLifetime/OpenSSLLifetime.c`.
public enum OpenSSLLifetime {
    /// Whether that initialization ran and succeeded in this process (so OpenSSL registered no exit-time cleanup).
    public static var keptUntilExit: Bool { COpenSSLLifetime_keptUntilExit() == 1 }
}
