// Every #graphql document in the app's source, as Shopify and codegen see them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === "node_modules" ? [] : filesUnder(file, suffix);
    return file.endsWith(suffix) ? [file] : [];
  });
}

/** Every `#graphql` template literal in the app's source (no interpolations allowed in them). */
export function appGraphqlDocuments(): { file: string; source: string }[] {
  const documents: { file: string; source: string }[] = [];
  for (const file of [...filesUnder("app", ".ts"), ...filesUnder("app", ".tsx")]) {
    for (const match of readFileSync(file, "utf8").matchAll(/`(#graphql[\s\S]*?)`/g)) {
      documents.push({ file, source: match[1] });
    }
  }
  return documents;
}
