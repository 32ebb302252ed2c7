export const ROOT: string;
export function testFiles(dir?: string): string[];
export function integrationReasons(file: string): string[];
export function projectFiles(): { unit: string[]; integration: string[] };
export function relativeToRoot(file: string): string;
