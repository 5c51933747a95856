import { NotFoundNotice } from '@/components/ui/not-found';

/** A record a dashboard page asked for and did not find (an exception id that names none), inside the app's header. */
export default function NotFound() {
  return <NotFoundNotice />;
}
