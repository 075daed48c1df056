/** The repository's own copy of upstream reference data (test/fixtures/README.md). */
import * as path from "path";

export const FIXTURES = path.resolve(__dirname, "..", "fixtures");
