/** The help text of `learnpath --help`. */
export const USAGE = `Usage: learnpath <command> [options]

Commands:
  check [dir|file...]          Check learning path documents and print every problem
      --format text|json       Output format (default: text)
  build [dir] --out FILE       Compile a folder into a catalog JSON file { "paths": [...] }
      --pretty                 Indent the JSON
  new <slug>                   Write a new Markdown learning path from the template
      --dir DIR                Folder to write into (default: content)
      --title TITLE            Title of the path (default: from the slug)
  export <slug> --format F [dir]  Export a path for an LMS (markdown, jsonld, imscc, imscc-1.1, imscc-lti, cmi5)
      --out FILE               Where to write (default: <slug>.<ext> here; - for stdout, text formats)
      --base-url URL           Public URL of the service (required for cmi5 and imscc-lti)
      --per-phase              imscc-lti: one LTI link per phase instead of one per path
      --base-iri IRI           Base of cmi5 identifiers (default: --base-url)
      --language TAG           Language of the metadata (default: en)

Options:
  -h, --help                   Show this help
  -v, --version                Show the version

The folder defaults to "content". Documents are .md/.markdown, .yaml/.yml and .json files;
dotfiles, node_modules and README.md are skipped.
Exit codes: 0 ok, 1 problems found (or refused), 2 wrong usage.
`;
