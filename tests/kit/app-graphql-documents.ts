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

/**
 * Every `#graphql` operation in the app's source, as sent: `${NAME}` is the text of the `#graphql`
 * constant NAME (a fragment), resolved as @shopify/api-codegen-preset resolves it. Documents that are
 * only fragments are not sent on their own, so they are not listed; an unknown name throws.
 */
export function appGraphqlDocuments(): { file: string; source: string }[] {
  const plucked: { file: string; name?: string; raw: string }[] = [];
  for (const file of [...filesUnder("app", ".ts"), ...filesUnder("app", ".tsx")]) {
    for (const match of readFileSync(file, "utf8").matchAll(/(?:(\w+)\s*=\s*)?`(#graphql[\s\S]*?)`/g)) {
      plucked.push({ file, name: match[1], raw: match[2] });
    }
  }
  const byName = new Map(plucked.filter((d) => d.name).map((d) => [d.name!, d.raw]));
  const resolve = (raw: string, file: string): string =>
    raw.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const text = byName.get(name);
      if (text === undefined) throw new Error(`${file}: \${${name}} is not a #graphql constant`);
      return resolve(text, file);
    });
  return plucked
    .map(({ file, raw }) => ({ file, source: resolve(raw, file) }))
    .filter(({ source }) => /^\s*#graphql\s*(query|mutation)\b/.test(source));
}
