// Module CTMarkdown.
