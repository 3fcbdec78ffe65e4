/** How the console names a person: their name, else their email, else their id (a service account may have neither). */
export function personName(person: { id: string; name?: string | null; email?: string | null }): string {
  return person.name ?? person.email ?? person.id;
}
