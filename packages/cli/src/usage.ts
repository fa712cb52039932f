/** The help text of each command, as `learnpath <command> --help` prints it. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  check: `Usage: learnpath check [dir|file...] [--format text|json]

Check learning path documents and print every problem as file:line:col severity code message.

  [dir|file...]            Folders and files to check (default: content)
  --format text|json       Output format (default: text)
`,
  build: `Usage: learnpath build [dir] [--out FILE] [--pretty]

Compile a folder into a catalog JSON file { "paths": [...] }; refuses when there are errors.

  [dir]                    Folder of documents (default: content)
  -o, --out FILE           Where to write the catalog (default: standard output)
  --pretty                 Indent the JSON
`,
  new: `Usage: learnpath new <slug> [--dir DIR] [--title TITLE]

Write a new Markdown learning path from the template (never overwrites).

  <slug>                   The path's slug, also its file name
  --dir DIR                Folder to write into (default: content)
  --title TITLE            Title of the path (default: from the slug)
`,
  export: `Usage: learnpath export <slug> --format F [--out FILE] [--base-url URL] [dir]

Export a path for an LMS: markdown, jsonld, imscc, imscc-1.1, cmi5.

  <slug>                   The path to export
  [dir]                    Folder of documents (default: content)
  -f, --format F           markdown, jsonld, imscc (Canvas), imscc-1.1 (Moodle, Blackboard), cmi5
  -o, --out FILE           Where to write (default: <slug>.<ext> here; - for stdout, text formats)
  --base-url URL           Public URL of the service (required for cmi5)
  --base-iri IRI           Base of cmi5 identifiers (default: --base-url)
  --language TAG           Language of the metadata (default: en)
`,
};

/** The help text of `learnpath --help`. */
export const USAGE = `Usage: learnpath <command> [options]

Commands:
  check [dir|file...]          Check learning path documents and print every problem
      --format text|json       Output format (default: text)
  build [dir] [--out FILE]     Compile a folder into a catalog JSON file { "paths": [...] }
      -o, --out FILE           Where to write (default: standard output)
      --pretty                 Indent the JSON
  new <slug>                   Write a new Markdown learning path from the template
      --dir DIR                Folder to write into (default: content)
      --title TITLE            Title of the path (default: from the slug)
  export <slug> --format F [dir]  Export a path for an LMS (markdown, jsonld, imscc, imscc-1.1, imscc-lti, cmi5)
      -o, --out FILE           Where to write (default: <slug>.<ext> here; - for stdout, text formats)
      --base-url URL           Public URL of the service (required for cmi5 and imscc-lti)
      --per-phase              imscc-lti: one LTI link per phase instead of one per path
      --base-iri IRI           Base of cmi5 identifiers (default: --base-url)
      --language TAG           Language of the metadata (default: en)
  keys new --name NAME --scopes S  Create an API key: prints its secret once and the entry for API_KEYS
      --scopes S               Comma-separated: progress:read, progress:write, learners:delete
      --format text|json       Output format (default: text)

Options:
  -h, --help                   Show this help; learnpath <command> --help shows that command's
  -v, --version                Show the version

The folder defaults to "content" in the working directory. Documents are .md/.markdown,
.yaml/.yml and .json files; dotfiles, node_modules and README.md are skipped.
Exit codes: 0 ok, 1 problems found (or refused), 2 wrong usage.
`;
