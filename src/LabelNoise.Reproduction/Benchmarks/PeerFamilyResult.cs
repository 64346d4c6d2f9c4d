using System.Text.Json.Nodes;

namespace LabelNoise.Benchmarks;

/// <summary>Status words of a peer result.</summary>
public static class PeerStatus
{
    public const string Ok = "ok";
    public const string Unavailable = "unavailable";
    public const string Failed = "failed";
}

/// <summary>One peer script's run: its status, a one-sentence reason unless ok, and its JSON line.</summary>
public sealed record PeerFamilyResult(string Status, string? Reason, JsonObject? Output);
