namespace MedServe.Server.Deployments;

/// <summary>Picks a deployment by the traffic weights, and decides whether to mirror a request.</summary>
internal static class TrafficRouter
{
    /// <summary>A deployment drawn with probability weight / total, or null when no weight is positive.</summary>
    public static string? Pick(IReadOnlyDictionary<string, int> traffic, Random random)
    {
        int total = 0;
        foreach (var weight in traffic.Values)
        {
            total += Math.Max(0, weight);
        }

        if (total == 0)
        {
            return null;
        }

        int draw = random.Next(total);
        foreach (var (name, weight) in traffic.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (weight <= 0)
            {
                continue;
            }

            if (draw < weight)
            {
                return name;
            }

            draw -= weight;
        }

        return null;
    }

    /// <summary>The mirror deployment for this request, or null: each request is copied with probability percent / 100.</summary>
    public static string? Mirror(IReadOnlyDictionary<string, int> mirror, Random random)
    {
        foreach (var (name, percent) in mirror)
        {
            if (percent > 0 && random.Next(100) < percent)
            {
                return name;
            }
        }

        return null;
    }
}
