import { NotFoundNotice } from '@/components/ui/not-found';

/** An address that names no page of the app (outside the dashboard's header, so the notice is the page's main part). */
export default function NotFound() {
  return (
    <main>
      <NotFoundNotice />
    </main>
  );
}
