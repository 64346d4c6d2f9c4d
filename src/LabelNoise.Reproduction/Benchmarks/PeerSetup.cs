namespace LabelNoise.Benchmarks;

/// <summary>
/// The peers' state after <see cref="PeerRunner.Prepare"/>: available or not (with a one-sentence
/// reason), the interpreter and scripts, the OpenBLAS folder put first on the peers' library path
/// (null: the system's default libblas.so.3), PyTorch's version, and what was installed.
/// </summary>
public sealed record PeerSetup(
    bool Available,
    string? Reason,
    string Interpreter,
    string? ScriptsFolder,
    string? OpenBlasFolder,
    string? TorchVersion,
    IReadOnlyList<string> Actions)
{
    public static PeerSetup Unavailable(string interpreter, string reason, IReadOnlyList<string>? actions = null) =>
        new(false, reason, interpreter, null, null, null, actions ?? []);
}
