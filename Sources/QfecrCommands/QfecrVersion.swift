/// qfecr's version: the one place it is written (`qfecr --version`).
public enum QfecrVersion {
    public static let current = "0.9.0"
}
