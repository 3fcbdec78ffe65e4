/**
 * The server's short reason for asking (from the tool policy) in words for the person. Reasons
 * this list does not know are shown as the server wrote them.
 */
const known: Record<string, string> = {
  'policy: ask': 'your administrator asks for approval of this tool.',
  'your setting: ask': 'you chose to be asked about this tool.',
  'destructive tool': 'the server says this tool may delete or overwrite data.',
};

export function describeReason(reason: string): string {
  return known[reason] ?? reason;
}
