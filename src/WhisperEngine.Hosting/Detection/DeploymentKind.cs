namespace WhisperEngine.Hosting.Detection;

/// <summary>
/// Where the engine is running, which selects the adaptive-configuration tier.
/// </summary>
public enum DeploymentKind
{
    /// <summary>A laptop or workstation, not inside a container (desktop tier).</summary>
    Desktop,

    /// <summary>Inside a container (Docker, Podman, containerd, LXC) outside Kubernetes (multi-bot tier).</summary>
    Container,

    /// <summary>Inside a Kubernetes pod (cloud tier).</summary>
    Kubernetes,
}
