using System.Collections.Frozen;

namespace Grove.Tree.Internal;

/// <summary>The built-in table behind <see cref="TreeNames.MimeOf"/>: common extensions, lower case, without the dot.</summary>
internal static class MimeTypes
{
    public const string Default = "application/octet-stream";

    public static readonly FrozenDictionary<string, string> ByExtension = new Dictionary<string, string>
    {
        // Text
        ["txt"] = "text/plain",
        ["log"] = "text/plain",
        ["text"] = "text/plain",
        ["conf"] = "text/plain",
        ["ini"] = "text/plain",
        ["md"] = "text/markdown",
        ["markdown"] = "text/markdown",
        ["csv"] = "text/csv",
        ["tsv"] = "text/tab-separated-values",
        ["html"] = "text/html",
        ["htm"] = "text/html",
        ["css"] = "text/css",
        ["xml"] = "application/xml",
        ["js"] = "text/javascript",
        ["mjs"] = "text/javascript",
        ["json"] = "application/json",
        ["yaml"] = "application/yaml",
        ["yml"] = "application/yaml",
        ["toml"] = "application/toml",
        ["sh"] = "application/x-sh",
        ["sql"] = "application/sql",

        // Images
        ["png"] = "image/png",
        ["jpg"] = "image/jpeg",
        ["jpeg"] = "image/jpeg",
        ["gif"] = "image/gif",
        ["webp"] = "image/webp",
        ["svg"] = "image/svg+xml",
        ["ico"] = "image/vnd.microsoft.icon",
        ["bmp"] = "image/bmp",
        ["tif"] = "image/tiff",
        ["tiff"] = "image/tiff",
        ["avif"] = "image/avif",

        // Audio and video
        ["mp3"] = "audio/mpeg",
        ["wav"] = "audio/wav",
        ["ogg"] = "audio/ogg",
        ["flac"] = "audio/flac",
        ["mp4"] = "video/mp4",
        ["webm"] = "video/webm",
        ["mov"] = "video/quicktime",

        // Documents
        ["pdf"] = "application/pdf",
        ["doc"] = "application/msword",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["xls"] = "application/vnd.ms-excel",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["ppt"] = "application/vnd.ms-powerpoint",
        ["pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["odt"] = "application/vnd.oasis.opendocument.text",
        ["rtf"] = "application/rtf",

        // Fonts
        ["woff"] = "font/woff",
        ["woff2"] = "font/woff2",
        ["ttf"] = "font/ttf",
        ["otf"] = "font/otf",

        // Archives and binaries
        ["zip"] = "application/zip",
        ["gz"] = "application/gzip",
        ["tgz"] = "application/gzip",
        ["tar"] = "application/x-tar",
        ["7z"] = "application/x-7z-compressed",
        ["bz2"] = "application/x-bzip2",
        ["xz"] = "application/x-xz",
        ["zst"] = "application/zstd",
        ["wasm"] = "application/wasm",
        ["bin"] = Default,
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
