namespace ReflexiveIdentity.Auth0Emulation.Management;

/// <summary>What fault mode does to one Management API call.</summary>
internal enum InjectedFault
{
    None,
    TooManyRequests,
    InternalServerError,
    ServiceUnavailable,
}

/// <summary>
/// Fault mode for the Management API: a share of 429s, a share of 500/503s and added latency,
/// drawn from a seeded random sequence so a test sees the same faults on every run.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings = FaultSettings.None;
    private Random _random = new(0);

    public FaultInjector(FaultSettings initial) => Set(initial);

    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    public void Set(FaultSettings settings)
    {
        settings.Validate();
        lock (_gate)
        {
            _settings = settings;
            _random = new Random(settings.Seed);
        }
    }

    public (InjectedFault Fault, TimeSpan Latency) Draw()
    {
        lock (_gate)
        {
            if (_settings.Rate429 == 0 && _settings.Rate5xx == 0)
            {
                return (InjectedFault.None, _settings.Latency);
            }

            var draw = _random.NextDouble();
            var fault = draw < _settings.Rate429 ? InjectedFault.TooManyRequests
                : draw < _settings.Rate429 + _settings.Rate5xx ? (_random.Next(2) == 0 ? InjectedFault.InternalServerError : InjectedFault.ServiceUnavailable)
                : InjectedFault.None;
            return (fault, _settings.Latency);
        }
    }
}
