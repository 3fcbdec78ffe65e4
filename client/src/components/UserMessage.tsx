/** A message the person sent: shown as they typed it, never as markdown. */
export function UserMessage(props: { text: string }) {
  return (
    <div class="message user">
      <div class="bubble">{props.text}</div>
    </div>
  );
}
