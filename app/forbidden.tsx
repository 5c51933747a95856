import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4">
      <div className="max-w-md text-center" data-testid="forbidden">
        <h1 className="text-xl font-semibold">Your role may not open this page</h1>
        <p className="mt-2 text-sm text-slate-600">Ask an administrator if you need access.</p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-blue-700 underline">
          Back to the overview
        </Link>
      </div>
    </main>
  );
}
