/**
 * Downloads what an app route answers, under `filename`. A fetch, not a link: inside the admin iframe
 * App Bridge adds the session token to fetch requests.
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`Download failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
