from bouncectl.cli import main

main()
