namespace Grove.Config;

/// <summary>Whether a publish may create, update, or both.</summary>
public enum PublishMode
{
    /// <summary>Create or update (Nacos's publish, Diamond's batchAddOrUpdate).</summary>
    Upsert,

    /// <summary>Only create; <c>conflict</c> when the config exists (Diamond's postConfig).</summary>
    CreateOnly,

    /// <summary>Only update; <c>not_found</c> when it does not exist (Diamond's updateConfig).</summary>
    UpdateOnly,
}
