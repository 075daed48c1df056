/** Every character that breaks a hand-built URL, plus a literal "%25" and non-ASCII. */
export const HOSTILE_PASSWORD = `p@ss:w/rd#?% "q'\\ %25 ünï日本€`;
