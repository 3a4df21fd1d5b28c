namespace MedServe.Server.Configuration;

/// <summary>A configuration file was refused; every problem names the file, the key and what is wrong.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException()
        : this("", [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConfigurationException(string message)
        : this("", [message])
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Problems = [message];
    }

    /// <summary>Creates the exception for a file and its problems.</summary>
    public ConfigurationException(string file, IReadOnlyList<string> problems)
        : base(string.Join("; ", problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>The file that was refused.</summary>
    public string File { get; }

    /// <summary>Each problem, prefixed with the file name.</summary>
    public IReadOnlyList<string> Problems { get; }
}
